"""Reader speed against the libraries' own floors (not a test).

    uv run python benchmarks/bench_readers.py [--repeat 7] [--pdf-repeat 3] [--markdown]

For every Word, Excel and PDF file of ../shared/samples and ../shared/samples-dev, the
reader (``extractors.readers.read_document``: bytes in, Document out) is timed against
a floor that does the least a program using the library must do to see every cell:

* Word: ``docx.Document(BytesIO(data))`` and ``cell.text`` of every cell of every table
  plus every body paragraph's text (the naive python-docx floor);
* Excel: ``openpyxl.load_workbook(BytesIO(data), data_only=True)`` (openpyxl's normal
  load, which parses every cell and its style);
* PDF: ``pdfplumber.open`` then ``extract_tables()`` and ``extract_text()`` on every page.

Runs are interleaved (reader, floor, reader, floor, ...) after one warm-up of each, and
the medians are reported with their ratio.  Writes nothing to the repository.
"""
from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"

from extractors.readers import read_document  # noqa: E402


def floor_docx(data: bytes) -> None:
    import docx
    d = docx.Document(io.BytesIO(data))
    for p in d.paragraphs:
        p.text
    for t in d.tables:
        for row in t.rows:
            for c in row.cells:
                c.text


def floor_xlsx(data: bytes) -> None:
    import openpyxl
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        openpyxl.load_workbook(io.BytesIO(data), data_only=True)


def floor_pdf(data: bytes) -> None:
    import pdfplumber
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.extract_text()


FLOORS = {"docx": floor_docx, "xlsx": floor_xlsx, "pdf": floor_pdf}


def timed(fn, data: bytes) -> float:
    t0 = time.perf_counter()
    fn(data)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--pdf-repeat", type=int, default=3)
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    files = sorted(p for folder in ("samples", "samples-dev") for p in (SHARED / folder).glob("*")
                   if p.suffix[1:] in FLOORS)
    rows = []
    for p in files:
        ext = p.suffix[1:]
        data = p.read_bytes()
        reader = lambda d, n=p.name: read_document(d, n)  # noqa: E731
        floor = FLOORS[ext]
        reader(data), floor(data)  # warm-up: imports, caches
        n = args.pdf_repeat if ext == "pdf" else args.repeat
        rt, ft = [], []
        for _ in range(n):
            rt.append(timed(reader, data))
            ft.append(timed(floor, data))
        r, f = statistics.median(rt), statistics.median(ft)
        rows.append((f"{p.parent.name}/{p.name}", ext, len(data), n, r * 1000, f * 1000, r / f))
    head = ("file", "format", "bytes", "runs", "reader ms", "floor ms", "reader/floor")
    if args.markdown:
        print("| " + " | ".join(head) + " |")
        print("| " + " | ".join("---" for _ in head) + " |")
        for row in rows:
            print(f"| {row[0]} | {row[1]} | {row[2]} | {row[3]} | {row[4]:.1f} | {row[5]:.1f} | {row[6]:.2f} |")
    else:
        for row in rows:
            print(f"{row[0]:28} {row[1]:5} {row[2]:8} {row[3]:3} {row[4]:9.1f} {row[5]:9.1f} {row[6]:6.2f}")
    by_fmt: dict[str, list[float]] = {}
    for row in rows:
        by_fmt.setdefault(row[1], []).append(row[6])
    for ext, ratios in sorted(by_fmt.items()):
        print(f"{ext}: median reader/floor {statistics.median(ratios):.2f} (max {max(ratios):.2f})")


if __name__ == "__main__":
    main()
