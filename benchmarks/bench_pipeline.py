"""End-to-end throughput of pipeline.run.run (not a test).

    uv run python benchmarks/bench_pipeline.py [--copies 10] [--workers 1 2] [--repeat 1] [--markdown]

Workloads:
  seeds     data/raw (the two seed .txt documents)
  samples   ../shared/samples (docx, html, pdf, xlsx renditions of the seeds)
  corpus    ../shared/corpus/dev (45 .txt files)
  corpus×N  N copies of the corpus, each file given different bytes by an appended line
            ``bench copy k`` so that every copy has its own doc_id (nothing is deduplicated)

Each workload runs through ``run(raw, out, workers=W, timeout=300, progress=False)`` (what
``python -m pipeline run`` does: forked children with a time limit, Parquet written) in a
temporary folder, for every W of --workers, after one warm-up that loads the models
(spaCy, jieba, form specs) so that their one-off cost is reported on its own.  Then every
file of seeds, samples and corpus is read and extracted in this process
(``process_file``) to give seconds per document by format.

Prints tables (Markdown with --markdown).  Writes nothing to the repository.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
SEEDS = ROOT / "data" / "raw"
SAMPLES = SHARED / "samples"
CORPUS = SHARED / "corpus" / "dev"


DOC_SUFFIXES = {".txt", ".docx", ".pdf", ".xlsx", ".html"}


def inputs(folder: Path) -> list[Path]:
    """The documents of a folder: shared/'s README.md and MANIFEST.tsv are not documents
    (the pipeline would process them, and report them as having no form)."""
    from pipeline.run import list_inputs
    return [p for p in list_inputs(folder) if p.suffix in DOC_SUFFIXES] if folder.is_dir() else []


def documents_only(src: Path, dest: Path) -> Path:
    """A folder of links to the documents of ``src``."""
    dest.mkdir(parents=True, exist_ok=True)
    for f in inputs(src):
        (dest / f.name).symlink_to(f.resolve())
    return dest


def make_copies(src: Path, dest: Path, copies: int) -> Path:
    """``copies`` copies of the documents of ``src`` under dest/copy_k/, each file with a
    line ``bench copy k`` appended (ASCII: the same in UTF-8 and GB18030)."""
    for k in range(1, copies + 1):
        d = dest / f"copy_{k:03d}"
        d.mkdir(parents=True, exist_ok=True)
        for f in inputs(src):
            data = f.read_bytes()
            if not data.endswith(b"\n"):
                data += b"\n"
            (d / f.name).write_bytes(data + f"bench copy {k}\n".encode("ascii"))
    return dest


def run_once(raw: Path, workers: int, tmp: Path) -> tuple[float, dict]:
    from pipeline.run import run
    out = Path(tempfile.mkdtemp(dir=tmp, prefix="out_"))
    t0 = time.perf_counter()
    summary = run(raw, out, workers=workers, timeout=300, progress=False)
    dt_ = time.perf_counter() - t0
    shutil.rmtree(out, ignore_errors=True)
    return dt_, summary


def fmt_table(head: list[str], rows: list[list], markdown: bool) -> str:
    cells = [[str(c) for c in r] for r in rows]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "|".join(" --- " for _ in head) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in cells]
        return "\n".join(lines)
    w = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(head)]
    lines = ["  ".join(h.ljust(w[i]) for i, h in enumerate(head)),
             "  ".join("-" * x for x in w)]
    lines += ["  ".join(c.rjust(w[i]) if i else c.ljust(w[i]) for i, c in enumerate(r)) for r in cells]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--copies", type=int, default=10, help="copies of the corpus in the synthetic batch (0: none)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--repeat", type=int, default=1, help="runs per workload and worker count (median reported)")
    ap.add_argument("--markdown", action="store_true")
    a = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench_pipeline_"))
    try:
        workloads = [("seeds", SEEDS), ("samples", documents_only(SAMPLES, tmp / "samples")),
                     ("corpus", documents_only(CORPUS, tmp / "corpus"))]
        if a.copies > 0 and CORPUS.is_dir():
            workloads.append((f"corpus×{a.copies}", make_copies(CORPUS, tmp / "copies", a.copies)))
        workloads = [(n, p) for n, p in workloads if inputs(p)]

        print(f"# bench_pipeline {dt.date.today().isoformat()}: {platform.platform()}, "
              f"Python {platform.python_version()}, {os.cpu_count()} CPUs\n")

        from pipeline.run import warm_up
        t0 = time.perf_counter()
        warm_up()
        print(f"warm-up (models, form specs, readers imported once per process): "
              f"{time.perf_counter() - t0:.2f} s\n")

        rows = []
        for name, folder in workloads:
            files = inputs(folder)
            mb = sum(f.stat().st_size for f in files) / 1e6
            for w in a.workers:
                times, summary = [], {}
                for _ in range(a.repeat):
                    t, summary = run_once(folder, w, tmp)
                    times.append(t)
                t = statistics.median(times)
                rows.append([name, len(files), f"{mb:.2f}", w, f"{t:.2f}", f"{len(files) / t:.2f}",
                             f"{mb / t:.3f}", f"{t / len(files) * 1000:.0f}",
                             summary.get("sections", ""), summary.get("indicators", ""),
                             summary.get("findings", "")])
                print(f"  {name} workers={w}: {t:.2f} s", file=sys.stderr)
        print("## End to end: pipeline.run.run (fork per document, time limit 300 s, Parquet written)\n")
        print(fmt_table(["workload", "docs", "MB", "workers", "seconds", "docs/s", "MB/s", "ms/doc",
                         "sections", "indicators", "findings"], rows, a.markdown))

        # per format, in this process (no fork, no Parquet): reading + extraction + checks
        from pipeline.process import process_file
        from extractors.readers import sniff_format
        per: dict[str, list[tuple[float, int]]] = {}
        for _, folder in workloads[:3]:
            for f in inputs(folder):
                data = f.read_bytes()
                fmt = sniff_format(data) or f.suffix.lstrip(".")
                best = min(_timed(process_file, data, f.name) for _ in range(max(1, a.repeat)))
                per.setdefault(fmt, []).append((best, len(data)))
        rows = []
        for fmt in sorted(per):
            ts = [t for t, _ in per[fmt]]
            mb = sum(n for _, n in per[fmt]) / 1e6
            rows.append([fmt, len(ts), f"{mb:.3f}", f"{sum(ts):.2f}", f"{statistics.mean(ts):.3f}",
                         f"{statistics.median(ts):.3f}", f"{max(ts):.3f}", f"{mb / sum(ts):.3f}"])
        print("\n## Per format: process_file in one process (seeds, samples, corpus; no fork, no Parquet)\n")
        print(fmt_table(["format", "docs", "MB", "total s", "mean s/doc", "median s/doc", "max s/doc",
                         "MB/s"], rows, a.markdown))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def _timed(fn, *args) -> float:
    t0 = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t0


if __name__ == "__main__":
    sys.exit(main())
