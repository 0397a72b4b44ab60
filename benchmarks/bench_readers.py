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
the medians are reported with their ratio.  ``--end-to-end`` also times
``pipeline.process.process_file`` (reader + segmentation + form parsing + narrative
analysis, no Parquet) and gives its ratio to the same floor.  Writes nothing to the
repository.
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
    ap.add_argument("--end-to-end", action="store_true", help="also time process_file")
    args = ap.parse_args()
    from pipeline.process import process_file
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
        e2e = lambda d, n=p.name: process_file(d, n)  # noqa: E731
        if args.end_to_end:
            e2e(data)
        rt, ft, et = [], [], []
        for _ in range(n):
            rt.append(timed(reader, data))
            ft.append(timed(floor, data))
            if args.end_to_end:
                et.append(timed(e2e, data))
        r, f = statistics.median(rt), statistics.median(ft)
        e = statistics.median(et) if et else float("nan")
        rows.append((f"{p.parent.name}/{p.name}", ext, len(data), n, r * 1000, f * 1000, r / f,
                     e * 1000, e / f))
    head = ("file", "format", "bytes", "runs", "reader ms", "floor ms", "reader/floor",
            "process_file ms", "process_file/floor")
    if args.markdown:
        print("| " + " | ".join(head) + " |")
        print("| " + " | ".join("---" for _ in head) + " |")
        for row in rows:
            print(f"| {row[0]} | {row[1]} | {row[2]} | {row[3]} | {row[4]:.1f} | {row[5]:.1f} | "
                  f"{row[6]:.2f} | {row[7]:.1f} | {row[8]:.2f} |")
    else:
        for row in rows:
            print(f"{row[0]:28} {row[1]:5} {row[2]:8} {row[3]:3} {row[4]:9.1f} {row[5]:9.1f} "
                  f"{row[6]:6.2f} {row[7]:9.1f} {row[8]:6.2f}")
    by_fmt: dict[str, list[float]] = {}
    for row in rows:
        by_fmt.setdefault(row[1], []).append(row[6])
    for ext, ratios in sorted(by_fmt.items()):
        print(f"{ext}: median reader/floor {statistics.median(ratios):.2f} (max {max(ratios):.2f})")


if __name__ == "__main__":
    main()
