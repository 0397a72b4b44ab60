"""Fuzz every reader at length (not a test): tests/test_readers_fuzz.py with 3,000 examples.

    uv run python benchmarks/fuzz_readers.py [--examples 3000] [--markdown]

Runs the fuzz tests (random bytes per reader, with and without the format's magic bytes;
damaged real files; damaged XML inside re-zipped .docx/.xlsx packages; any BOM before any
encoding) with ``FUZZ_EXAMPLES`` = ``FUZZ_SLOW_EXAMPLES`` = --examples, so every reader,
the PDF one included, gets that many examples per test, and prints each test's outcome
and time.  A failure is an exception other than ReaderError (or a Document whose block
spans do not hold): pytest prints the falsifying example.  Writes nothing to the repository.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--examples", type=int, default=3000)
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    env = dict(os.environ, FUZZ_EXAMPLES=str(args.examples), FUZZ_SLOW_EXAMPLES=str(args.examples))
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pytest", "tests/test_readers_fuzz.py", "-q",
                           "-p", "no:cacheprovider", "--durations=0", "-rA"],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    durations = {m.group(2): float(m.group(1)) for m in
                 re.finditer(r"^([\d.]+)s call\s+tests/test_readers_fuzz.py::(\S+)", proc.stdout, re.M)}
    outcome = {m.group(2): m.group(1) for m in
               re.finditer(r"^(PASSED|FAILED|SKIPPED|ERROR)\s+tests/test_readers_fuzz.py::(\S+)", proc.stdout, re.M)}
    names = sorted(set(durations) | set(outcome))
    if args.markdown:
        print(f"| test ({args.examples} examples each) | outcome | seconds |\n| --- | --- | --- |")
        for n in names:
            print(f"| `{n}` | {outcome.get(n, '?')} | {durations.get(n, 0):.1f} |")
    else:
        for n in names:
            print(f"{n:60} {outcome.get(n, '?'):8} {durations.get(n, 0):8.1f}")
    print(f"total {wall:.0f} s, pytest exit {proc.returncode}")
    if proc.returncode:
        print(proc.stdout[-6000:])
    sys.exit(proc.returncode)


if __name__ == "__main__":
    main()
