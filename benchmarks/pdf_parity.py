"""The PDF reader with PDFium against the reader on pdfminer alone, block by block (not a
test; ``tests/test_readers_pdfium.py`` asserts the same on the sample PDFs).

    uv run python benchmarks/pdf_parity.py [FILE.pdf ...]   # default: the four sample PDFs

For each file: every block field (kind, text, page, table, row, col, rowspan, colspan,
x0, top, x1, bottom), the warnings and the text of both Documents compared; the blocks
that differ printed; which pages PDFium read (the others pdfminer: see
``extractors.readers.pdf_pdfium``); the CPU time (user + system) of both readers, the
fastest of ``--repeat`` interleaved runs.  Exit status 1 if any Document differs.
"""
from __future__ import annotations

import argparse
import difflib
import logging
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors.readers import pdf as reader  # noqa: E402

SHARED = ROOT.parent / "shared"
DEFAULT = [SHARED / "samples" / "seed000.pdf", SHARED / "samples" / "seed004.pdf",
           SHARED / "samples-dev" / "r021.pdf", SHARED / "samples-dev" / "r031.pdf"]


def read_pdfminer_only(data: bytes):
    """Today's reader as it was before PDFium: every page through pdfminer."""
    keep = reader._pdfium
    reader._pdfium = lambda data, pdf: None
    try:
        return reader.read_pdf(data)
    finally:
        reader._pdfium = keep


def blocks(doc) -> list[tuple]:
    return [(b.kind, b.text, b.page, b.table_no, b.row, b.col, b.rowspan, b.colspan,
             b.x0, b.top, b.x1, b.bottom) for b in doc.blocks]


def differing(old, new) -> list[tuple[list, list]]:
    out = []
    sm = difflib.SequenceMatcher(a=blocks(old), b=blocks(new), autojunk=False)
    for op, a0, a1, b0, b1 in sm.get_opcodes():
        if op != "equal":
            out.append((sm.a[a0:a1], sm.b[b0:b1]))
    return out


class _Fallbacks(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    files = args.files or DEFAULT
    log = logging.getLogger("extractors.readers.pdf_pdfium")
    log.setLevel(logging.DEBUG)
    n_bad = 0
    read_pdfminer_only(files[0].read_bytes())  # warm-up: imports, CMaps
    for path in files:
        data = path.read_bytes()
        t_old, t_new = [], []
        for _ in range(args.repeat):
            t = time.process_time()
            old = read_pdfminer_only(data)
            t_old.append(time.process_time() - t)
            fb = _Fallbacks()
            log.addHandler(fb)
            t = time.process_time()
            new = reader.read_pdf(data)
            t_new.append(time.process_time() - t)
            log.removeHandler(fb)
        diffs = differing(old, new)
        same = not diffs and old.warnings == new.warnings and old.text == new.text \
            and old.n_pages == new.n_pages
        n_bad += not same
        for a, b in diffs:
            for x in a:
                print("   pdfminer", x)
            for x in b:
                print("   pdfium  ", x)
        print(f"{path.name}: {len(old.blocks)} blocks, {sum(max(len(a), len(b)) for a, b in diffs)}"
              f" differ, warnings {'equal' if old.warnings == new.warnings else 'DIFFER'}, "
              f"{'SAME' if same else 'DIFFERENT'} Document; pages by pdfminer "
              f"{len(fb.messages)} of {new.n_pages}; CPU pdfminer only {min(t_old):.3f} s, "
              f"with PDFium {min(t_new):.3f} s ({min(t_new) / min(t_old):.2f}x)")
        for m in fb.messages:
            print("   ", m)
    return 1 if n_bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
