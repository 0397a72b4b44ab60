"""Field accuracy of the pipeline on the hand-checked gold of ../shared.

Runs ``python -m pipeline run`` on

- the 45 dev excerpts (``../shared/corpus/dev``), scored per document and per layout against
  ``../shared/gold/dev`` with ``../shared/tools/score_corpus.py``;
- the two seeds and every rendition of them in ``../shared/samples`` (docx, pdf, xlsx, html),
  scored against ``../shared/gold/seeds``;
- the dev-corpus renditions in ``../shared/samples-dev`` (Word/Excel/HTML/PDF), scored against
  the dev gold of their excerpt;

and prints one table. Beside the field accuracy it counts, per layout, the **wrong values**: fields
of a matched row whose published value differs from the gold (a gold ``null`` published as a value
counts too; a value we leave out does not). Issue 15 asks for zero of them in ``space_flat``: a value
we cannot read with certainty must be reported, not guessed. ``--results`` rewrites the accuracy section of ``benchmarks/RESULTS.md``;
``--metrics FILE`` merges ``{"accuracy": {...}}`` into a DVC metrics JSON.

usage: uv run python benchmarks/accuracy.py [--shared ../shared] [--json OUT] [--results]
                                            [--metrics data/metrics.json] [-v rNNN]
"""
from __future__ import annotations

import argparse
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
from contextlib import redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- accuracy:begin -->", "<!-- accuracy:end -->"


def run_pipeline(raw: Path, out: Path) -> None:
    cmd = [sys.executable, "-m", "pipeline", "run", str(raw), "--out", str(out), "--quiet"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"pipeline run on {raw} failed ({proc.returncode}): {proc.stderr.strip()[-800:]}")


def corpus_table(shared: Path, parquet: Path, verbose: str | None) -> tuple[str, dict]:
    cmd = [sys.executable, str(shared / "tools/score_corpus.py"), str(parquet), str(shared / "gold/dev"),
           "--manifest", str(shared / "corpus/dev/MANIFEST.tsv"), "--json", str(parquet / "_scores.json")]
    if verbose:
        cmd += ["-v", verbose]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True)
    rows = json.loads((parquet / "_scores.json").read_text(encoding="utf-8"))
    wrong = wrong_values(shared, parquet, [r["id"] for r in rows])
    by_layout: dict[str, list[int]] = {}
    for r in rows:
        k = by_layout.setdefault(r["layout"] or "?", [0, 0, 0, 0])
        k[0] += r["correct"]; k[1] += r["total"]; k[2] += 1; k[3] += len(wrong[r["id"]])
    c = sum(r["correct"] for r in rows)
    t = sum(r["total"] for r in rows)
    summary = {"overall": round(c / max(1, t), 4), "fields": f"{c}/{t}",
               "by_layout": {lay: round(v[0] / max(1, v[1]), 4) for lay, v in sorted(by_layout.items())},
               "documents": {lay: v[2] for lay, v in sorted(by_layout.items())},
               "wrong_values": {lay: v[3] for lay, v in sorted(by_layout.items())}}
    text = proc.stdout + "\n" + "\n".join(
        f"wrong values {lay:18s} {v[3]:4d}" for lay, v in sorted(by_layout.items())) + "\n"
    text += "wrong values by document: " + (", ".join(f"{d} {len(w)}" for d, w in sorted(wrong.items()) if w)
                                           or "none") + "\n"
    if verbose and wrong.get(verbose):
        text += "".join(f"  ! {w}\n" for w in wrong[verbose])
    return text, summary


WRONG = re.compile(r"(\w+): gold=(.*?) got=(.*?)(?=; \w+: gold=|$)")


def wrong_values(shared: Path, parquet: Path, ids: list[str]) -> dict[str, list[str]]:
    """Per dev document, the fields of matched rows published with a value the gold does not have."""
    sys.path.insert(0, str(shared / "tools"))
    import duckdb
    from score import score_document  # type: ignore[import-not-found]

    con = duckdb.connect()
    datasets = "section,indicator,fund,goal,fact,mention".split(",")
    out: dict[str, list[str]] = {}
    for doc in ids:
        said: list[str] = []
        score_document(con, str(parquet), str(shared / "gold/dev" / f"{doc}.jsonl"), f"{doc}.txt", datasets,
                       verbose=True, every=True, say=said.append)
        bad = []
        for line in said:
            if not line.startswith("  ~ "):
                continue
            row, _, rest = line[4:].partition(": ")
            bad += [f"{row}/{f}: gold={g} got={o}" for f, g, o in WRONG.findall(rest) if o != "None"]
        out[doc] = bad
    return out


def score_files(shared: Path, parquet: Path, pairs: list[tuple[str, Path]]) -> list[tuple[str, int, int]]:
    """(source file name, correct, total) for each (source name, gold file)."""
    sys.path.insert(0, str(shared / "tools"))
    import duckdb
    from score import score_document  # type: ignore[import-not-found]

    con = duckdb.connect()
    datasets = "section,indicator,fund,goal,fact,mention".split(",")
    out = []
    for source, gold in pairs:
        with redirect_stdout(io.StringIO()):
            c, t, _found, _n = score_document(con, str(parquet), str(gold), source, datasets)
        out.append((source, c, t))
    return out


def renditions(shared: Path, work: Path) -> tuple[Path, list[tuple[str, Path]]]:
    """A folder holding the seeds, their renditions and the dev renditions, with the gold of each."""
    raw = work / "renditions"
    raw.mkdir()
    pairs: list[tuple[str, Path]] = []
    seed_gold = {"000": shared / "gold/seeds/seed000.jsonl", "004": shared / "gold/seeds/seed004.jsonl"}
    for f in sorted((shared / "seeds").glob("*.txt")):
        shutil.copy(f, raw / f.name)
        pairs.append((f.name, seed_gold[f.name[:3]]))
    for f in sorted((shared / "samples").iterdir()):
        if f.suffix.lower() in (".md",):
            continue
        shutil.copy(f, raw / f.name)
        pairs.append((f.name, seed_gold[f.stem[-3:]]))
    for f in sorted((shared / "samples-dev").iterdir()):
        if f.suffix.lower() in (".md",):
            continue
        shutil.copy(f, raw / f.name)
        pairs.append((f.name, shared / "gold/dev" / f"{f.stem}.jsonl"))
    return raw, pairs


def markdown(corpus: dict, files: list[tuple[str, int, int]]) -> str:
    lines = [BEGIN, "", "## Accuracy on the hand-checked gold (`benchmarks/accuracy.py`)", "",
             f"Dev corpus (45 excerpts): **{corpus['overall']:.3f}** ({corpus['fields']} fields).", "",
             "| layout | documents | field accuracy | wrong values |", "| --- | ---: | ---: | ---: |"]
    for lay, acc in corpus["by_layout"].items():
        lines.append(f"| {lay} | {corpus['documents'][lay]} | {acc:.3f} | {corpus['wrong_values'][lay]} |")
    lines += ["", "Seeds, their renditions and the dev renditions:", "",
              "| file | fields | field accuracy |", "| --- | ---: | ---: |"]
    for name, c, t in files:
        lines.append(f"| {name} | {c}/{t} | {c / max(1, t):.3f} |")
    lines += ["", END]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Field accuracy of the pipeline on the gold of ../shared.")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared folder (default ../shared)")
    ap.add_argument("--json", type=Path, help="write the summary as JSON to this file")
    ap.add_argument("--results", action="store_true", help="rewrite the accuracy section of benchmarks/RESULTS.md")
    ap.add_argument("--metrics", type=Path, help="merge {'accuracy': ...} into this DVC metrics JSON file")
    ap.add_argument("-v", metavar="ID", help="list every miss of one dev document (e.g. r058)")
    a = ap.parse_args(argv)
    shared = a.shared.resolve()
    if not (shared / "gold/dev").is_dir():
        print(f"error: no gold at {shared}/gold/dev (the shared folder sits beside the checkout)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="accuracy-") as tmp:
        work = Path(tmp)
        run_pipeline(shared / "corpus/dev", work / "dev")
        table, corpus = corpus_table(shared, work / "dev", a.v)
        raw, pairs = renditions(shared, work)
        run_pipeline(raw, work / "rend")
        files = score_files(shared, work / "rend", pairs)
    print(table)
    print(f"{'file':28s} {'fields':>11s} {'acc':>6s}")
    for name, c, t in files:
        print(f"{name:28s} {c:>5d}/{t:<5d} {c / max(1, t):6.3f}")
    summary = {"dev": corpus, "files": {n: round(c / max(1, t), 4) for n, c, t in files}}
    if a.json:
        a.json.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    if a.results:
        path = ROOT / "benchmarks/RESULTS.md"
        text = path.read_text(encoding="utf-8")
        block = markdown(corpus, files)
        if BEGIN in text and END in text:
            text = text[:text.index(BEGIN)] + block + text[text.index(END) + len(END):]
        else:
            text = text.rstrip("\n") + "\n\n" + block + "\n"
        path.write_text(text, encoding="utf-8")
    if a.metrics:
        data = json.loads(a.metrics.read_text(encoding="utf-8")) if a.metrics.exists() else {}
        data["accuracy"] = {"dev_overall": corpus["overall"], "dev_by_layout": corpus["by_layout"],
                            "dev_wrong_values": corpus["wrong_values"],
                            "seeds_min": round(min((c / max(1, t) for n, c, t in files
                                                    if n.startswith(("000", "004", "seed"))), default=0), 4)}
        a.metrics.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
