"""What the pipeline produces on the project's inputs, for benchmarks/RESULTS.md (not a test).

    uv run python benchmarks/figures.py            # prints the Markdown table of RESULTS.md

Runs ``pipeline.run.run`` on the seeds (data/raw), the samples (../shared/samples: the
seeds as docx, html, pdf, xlsx) and the dev corpus (../shared/corpus/dev), and counts
documents by status, sections, indicators, fund figures, findings and groups of files
with the same content.  The figures RESULTS.md states are pasted from this output;
tests/test_readme.py checks the seeds row against a fresh run, so they cannot go stale
unnoticed.  No timing: speed is bench_pipeline.py's.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
SEEDS = ROOT / "data" / "raw"
SAMPLES = SHARED / "samples"
CORPUS = SHARED / "corpus" / "dev"
DOC_SUFFIXES = {".txt", ".docx", ".pdf", ".xlsx", ".html", ".xls", ".doc", ".wps", ".rtf", ".et"}


def inputs(folder: Path) -> list[Path]:
    """The documents of a folder (shared/'s README.md and MANIFEST.tsv are not documents)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in DOC_SUFFIXES)


def documents_only(src: Path, dest: Path) -> Path:
    """A folder of links to the documents of ``src``."""
    dest.mkdir(parents=True, exist_ok=True)
    for f in inputs(src):
        (dest / f.name).symlink_to(f.resolve())
    return dest

HEAD = ["workload", "docs", "ok", "partial", "failed", "sections", "indicators", "funds",
        "findings", "same-content groups"]


def row(name: str, summary: dict) -> list:
    st = summary["documents_by_status"]
    return [name, summary["documents"], st.get("ok", 0), st.get("partial", 0), st.get("failed", 0),
            summary["sections"], summary["indicators"], summary["funds"], summary["findings"],
            len(summary.get("same_content") or [])]


def markdown(rows: list[list]) -> str:
    lines = ["| " + " | ".join(HEAD) + " |", "| " + " | ".join("---" for _ in HEAD) + " |"]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def main() -> int:
    from pipeline.run import run
    with tempfile.TemporaryDirectory(prefix="figures_") as tmp:
        tmp = Path(tmp)
        workloads = [("seeds", SEEDS), ("samples", documents_only(SAMPLES, tmp / "samples")),
                     ("corpus", documents_only(CORPUS, tmp / "corpus"))]
        rows = []
        for name, folder in workloads:
            if not inputs(folder):
                continue
            summary = run(folder, tmp / f"out_{name}", workers=2, timeout=300, progress=False)
            rows.append(row(name, summary))
    print(markdown(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
