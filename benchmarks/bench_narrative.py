"""Throughput of extractors.narrative.analyze_report (not a test).

    uv run python benchmarks/bench_narrative.py [--repeat N]

Measures the one-off cost of building the spaCy pipeline (spaCy import, jieba
dictionary, Matcher) and then paragraphs/s and chars/s on seed 000's 自评报告 (附件4),
plus the report sections of the dev corpus, each read the way the pipeline reads it.
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


def report_batches(path: Path) -> list[list[tuple[str, int]]]:
    """The paragraphs of each report section of a file, read the way the pipeline reads
    them (reader, segmenter, extractors.extract.report_paragraphs)."""
    from extractors.extract import report_paragraphs
    from extractors.readers import read_document
    from extractors.segment import segment
    doc = read_document(path.read_bytes(), path.name)
    return [[(b.text, b.char_start) for b in paras]
            for _, paras in report_paragraphs(segment(doc)) if paras]


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

    bench("seed 000 report (附件4)", report_batches(SEED000), args.repeat)

    corpus = [b for p in sorted(CORPUS.glob("r*.txt")) for b in report_batches(p)]
    bench("dev corpus, report sections", corpus, max(1, args.repeat // 2))


if __name__ == "__main__":
    main()
