"""Reader speed against the libraries' own floors (not a test).

    uv run python benchmarks/bench_readers.py [--repeat 15] [--pdf-repeat 5] [--markdown]
        [--end-to-end] [--stages]

For every Word, Excel and PDF file of ../shared/samples and ../shared/samples-dev, the
reader (``extractors.readers.read_document``: bytes in, Document out) is timed against
a floor that does the least a program using the library must do to see every cell:

* Word: ``docx.Document(BytesIO(data))`` and ``cell.text`` of every cell of every table
  plus every body paragraph's text (the naive python-docx floor);
* Excel: ``openpyxl.load_workbook(BytesIO(data), data_only=True)`` (openpyxl's normal
  load, which parses every cell and its style);
* PDF: ``pdfplumber.open`` then ``extract_tables()`` and ``extract_text()`` on every page.

Times are CPU time of this process (``time.process_time``: user + system), not wall
clock: the machine's cores are shared, and a run that loses its core for a while says
nothing about the code.  Runs are interleaved (reader, floor, process_file, reader, ...)
after one warm-up of each, and the minimum of the runs is reported (the least the code
needed; medians are printed too) with its ratio to the floor.  ``--end-to-end`` also times
``pipeline.process.process_file`` (reader + segmentation + form parsing + narrative
analysis + checks, no Parquet) and gives its ratio to the same floor; ``--stages`` splits
that run's CPU time into its stages (the reader, ``segment``, ``parse_section``, the
narrative pass, the rest of ``extract``, ``run_checks``) by timing those functions where
``process_file`` calls them.  Writes nothing to the repository.
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
    t0 = time.process_time()
    fn(data)
    return time.process_time() - t0


STAGES = ("reader", "segment", "parse_section", "narrative", "extract, rest", "checks")
_spent: dict[str, float] = {}


def instrument() -> None:
    """Time the stages of process_file where it calls them (this process only)."""
    import extractors.extract as ex
    import pipeline.process as pp

    def wrap(mod, name, key):
        fn = getattr(mod, name)

        def timed_fn(*a, **k):
            t0 = time.process_time()
            try:
                return fn(*a, **k)
            finally:
                _spent[key] = _spent.get(key, 0.0) + time.process_time() - t0
        setattr(mod, name, timed_fn)
    for mod, name, key in ((pp, "read_document", "reader"), (pp, "extract", "extract"),
                           (pp, "run_checks", "checks"), (ex, "segment", "segment"),
                           (ex, "parse_section", "parse_section"), (ex, "_narrative", "narrative")):
        wrap(mod, name, key)


def stages(e2e, data: bytes, n: int) -> dict[str, float]:
    """Per-stage CPU seconds of the fastest of ``n`` process_file runs."""
    best = None
    for _ in range(n):
        _spent.clear()
        total = timed(e2e, data)
        if best is None or total < best[0]:
            best = (total, dict(_spent))
    total, d = best
    d["extract, rest"] = d.get("extract", 0.0) - sum(d.get(k, 0.0) for k in ("segment", "parse_section", "narrative"))
    return {k: d.get(k, 0.0) for k in STAGES} | {"total": total}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--pdf-repeat", type=int, default=5)
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--end-to-end", action="store_true", help="also time process_file")
    ap.add_argument("--stages", action="store_true", help="split process_file's CPU time by stage")
    args = ap.parse_args()
    from pipeline.process import process_file
    files = sorted(p for folder in ("samples", "samples-dev") for p in (SHARED / folder).glob("*")
                   if p.suffix[1:] in FLOORS)
    rows = []
    split: dict[str, dict[str, float]] = {}
    if args.stages:
        args.end_to_end = True
        instrument()
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
        r, f = min(rt), min(ft)
        e = min(et) if et else float("nan")
        rows.append((f"{p.parent.name}/{p.name}", ext, len(data), n, r * 1000, f * 1000, r / f,
                     e * 1000, e / f, statistics.median(rt) / statistics.median(ft),
                     statistics.median(et) / statistics.median(ft) if et else float("nan")))
        if args.stages:
            split[rows[-1][0]] = stages(e2e, data, n)
    head = ("file", "format", "bytes", "runs", "reader ms", "floor ms", "reader/floor",
            "process_file ms", "process_file/floor", "medians: reader/floor",
            "medians: process_file/floor")
    if args.markdown:
        print("| " + " | ".join(head) + " |")
        print("| " + " | ".join("---" for _ in head) + " |")
        for row in rows:
            print(f"| {row[0]} | {row[1]} | {row[2]} | {row[3]} | {row[4]:.1f} | {row[5]:.1f} | "
                  f"{row[6]:.2f} | {row[7]:.1f} | {row[8]:.2f} | {row[9]:.2f} | {row[10]:.2f} |")
    else:
        for row in rows:
            print(f"{row[0]:28} {row[1]:5} {row[2]:8} {row[3]:3} {row[4]:9.1f} {row[5]:9.1f} "
                  f"{row[6]:6.2f} {row[7]:9.1f} {row[8]:6.2f} {row[9]:6.2f} {row[10]:6.2f}")
    for i, label in ((6, "reader/floor"), (8, "process_file/floor")):
        by_fmt: dict[str, list[float]] = {}
        for row in rows:
            by_fmt.setdefault(row[1], []).append(row[i])
        for ext, ratios in sorted(by_fmt.items()):
            print(f"{ext}: median {label} {statistics.median(ratios):.2f} (max {max(ratios):.2f})")
    if split:
        cols = (*STAGES, "total")
        print("\n| file (CPU ms of the fastest process_file run) | " + " | ".join(cols) + " |")
        print("| --- | " + " | ".join("---:" for _ in cols) + " |")
        for name, d in split.items():
            print(f"| {name} | " + " | ".join(f"{d[k] * 1000:.1f}" for k in cols) + " |")


if __name__ == "__main__":
    main()
