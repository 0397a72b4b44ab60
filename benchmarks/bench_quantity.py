"""Throughput and fuzzing of normalizers.parse_quantity (not a test).

    uv run python benchmarks/bench_quantity.py [--fuzz N] [--repeat R]

* Throughput: every cell of the dev corpus (each line of ../shared/corpus/dev/*.txt
  split on ``|``, TAB and whitespace, as a short cell would be), parsed in one
  process on one core: cold (empty cache: every distinct cell runs the grammar),
  warm (the lru_cache answers repeats, as in a pipeline run over many similar
  documents), and the bare grammar with no cache and no fast path.
* Fuzz: N random strings (seeded, so the run is reproducible) drawn from the
  grammar's own vocabulary, digits, numerals, signs and arbitrary unicode; counts
  exceptions and results that break the Quantity invariants or differ between the
  cached fast path and the bare grammar. The target is 0 of each.
"""
from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from decimal import Decimal, localcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus" / "dev"

from normalizers import parse_quantity  # noqa: E402
from normalizers.quantity import DIRECTIONS, KINDS, OPS, _cached  # noqa: E402
from normalizers.quantity.grammar import parse as grammar_parse  # noqa: E402


def corpus_cells() -> list[str]:
    cells = []
    for f in sorted(CORPUS.glob("*.txt")):
        for line in f.read_text(encoding="utf-8", errors="replace").splitlines():
            for part in re.split(r"[|\t]", line):
                for w in part.split():
                    cells.append(w)
    return cells


def throughput(cells: list[str], repeat: int) -> dict:
    def timed(fn) -> float:
        runs = []
        for _ in range(repeat):
            t = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - t)
        return statistics.median(runs)

    def cold():
        _cached.cache_clear()
        for c in cells:
            parse_quantity(c)

    def warm():
        for c in cells:
            parse_quantity(c)

    def bare():
        with localcontext() as ctx:
            ctx.prec = 64
            for c in cells:
                grammar_parse(c, None)

    cold_s = timed(cold)
    warm()
    warm_s = timed(warm)
    bare_s = timed(bare)
    n = len(cells)
    return {"cells": n, "distinct": len(set(cells)),
            "cold": n / cold_s, "warm": n / warm_s, "bare": n / bare_s}


ALPHABET = list("0123456789.,%‰ -~/*·()（）") + list(
    "万亿千百十元人次个天半小时月年日第名前内以上下至到约多余负零〇一二两三四五六七八九壹拾佰仟点") + [
    "不超过", "不低于", "≥", "≤", "增长", "下降", "同比", "提高", "个百分点", "百分之", "人民币", "元/人*月",
    "成本", "全年", "类", "种", "段", "工作日", "以内", "之间", "预算", "不适用", "2023年", "12月底前"]


def random_text(rng: random.Random) -> str:
    k = rng.randint(0, 14)
    if rng.random() < 0.15:  # arbitrary unicode, surrogates excluded
        return "".join(chr(rng.choice([rng.randint(32, 0x2FFF), rng.randint(0x3000, 0x9FFF)])) for _ in range(k))
    return "".join(rng.choice(ALPHABET) for _ in range(k))


def well_formed(q, text) -> bool:
    ok = q.raw == text and q.op in OPS and q.kind in KINDS and q.direction in (None, *DIRECTIONS)
    ok &= (q.upper is not None) == (q.op == "range" and q.kind != "date")
    ok &= all(v is None or isinstance(v, Decimal) for v in (q.value, q.upper))
    if q.op in ("qual", "na"):
        ok &= q.value is None and q.unit is None and q.subject is None
    if q.op == "range" and q.kind != "date":
        ok &= q.value < q.upper
    if q.date_from and q.date_to:
        ok &= q.date_from <= q.date_to
    return bool(ok)


def fuzz(n: int, seed: int = 16) -> dict:
    rng = random.Random(seed)
    errors, bad, differ, numeric = 0, 0, 0, 0
    first = []
    t = time.perf_counter()
    for _ in range(n):
        text = random_text(rng)
        hint = rng.choice([None, None, "万元", "%", "人次"])
        try:
            q = parse_quantity(text, hint)
            with localcontext() as ctx:
                ctx.prec = 64
                full = grammar_parse(text, hint)
        except Exception as exc:  # noqa: BLE001 - counting is the point
            errors += 1
            if len(first) < 5:
                first.append((text, repr(exc)))
            continue
        bad += not well_formed(q, text)
        differ += q != full
        numeric += q.value is not None
    return {"strings": n, "exceptions": errors, "malformed": bad, "fast_path_differs": differ,
            "with_value": numeric, "seconds": time.perf_counter() - t, "first": first}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fuzz", type=int, default=50_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    cells = corpus_cells()
    r = throughput(cells, args.repeat)
    print(f"dev-corpus cells: {r['cells']} ({r['distinct']} distinct), median of {args.repeat} runs, one process")
    print("| path | cells/s |\n| --- | ---: |")
    print(f"| parse_quantity, cold cache | {r['cold']:,.0f} |")
    print(f"| parse_quantity, warm cache | {r['warm']:,.0f} |")
    print(f"| grammar alone (no cache, no fast path) | {r['bare']:,.0f} |")
    f = fuzz(args.fuzz)
    print(f"\nfuzz: {f['strings']} random strings in {f['seconds']:.1f} s: {f['exceptions']} exceptions, "
          f"{f['malformed']} malformed results, {f['fast_path_differs']} fast-path differences, "
          f"{f['with_value']} with a value")
    for text, exc in f["first"]:
        print("  ", repr(text), exc)


if __name__ == "__main__":
    main()
