"""Throughput of extractors.narrative.analyze_report (not a test).

    uv run python benchmarks/bench_narrative.py [--repeat N]

Measures the one-off cost of building the spaCy pipeline (spaCy import, jieba
dictionary, Matcher) and then paragraphs/s and chars/s on seed 000's 自评报告 (附件4),
plus the whole dev corpus (each file as its lines) for a mixed workload.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
SEED000 = SHARED / "seeds" / "000_dbacab0dbc49b42b.txt"
CORPUS = SHARED / "corpus" / "dev"


def line_paragraphs(text: str, first_line: int = 0) -> list[tuple[str, int]]:
    out, pos = [], 0
    for k, line in enumerate(text.split("\n")):
        if k >= first_line and line.strip():
            out.append((line, pos))
        pos += len(line) + 1
    return out


def bench(name: str, batches: list[list[tuple[str, int]]], repeat: int) -> None:
    from extractors.narrative import analyze_report

    n_par = sum(len(b) for b in batches)
    n_chars = sum(len(t) for b in batches for t, _ in b)
    times, n_mentions = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        n_mentions = sum(len(analyze_report(b).mentions) for b in batches)
        times.append(time.perf_counter() - t0)
    best, med = min(times), statistics.median(times)
    print(f"{name}: {len(batches)} batch(es), {n_par} paragraphs, {n_chars} chars, "
          f"{n_mentions} mentions")
    print(f"  best {best * 1000:.1f} ms, median {med * 1000:.1f} ms -> "
          f"{n_par / med:,.0f} paragraphs/s, {n_chars / med:,.0f} chars/s, "
          f"{n_mentions / med:,.0f} mentions/s (median)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=10)
    args = ap.parse_args()

    t0 = time.perf_counter()
    from extractors.narrative import get_nlp

    get_nlp()
    print(f"pipeline build (spaCy import, jieba dictionary, Matcher): "
          f"{time.perf_counter() - t0:.2f} s (once per process)")

    text = SEED000.read_text(encoding="utf-8")
    lines = text.split("\n")
    start = next(i for i, ln in enumerate(lines) if ln.strip() == "附件 4")
    bench("seed 000 report (附件4)", [line_paragraphs(text, start)], args.repeat)

    corpus = [line_paragraphs(p.read_text(encoding="utf-8")) for p in sorted(CORPUS.glob("r*.txt"))]
    bench("dev corpus, all files", [c for c in corpus if c], max(1, args.repeat // 2))


if __name__ == "__main__":
    main()
