"""Run every stage over a folder of documents and write the Parquet datasets.

Documents are processed in parallel, each in a forked child process with a time limit:
a file whose parsing hangs is stopped and reported as failed, never left hanging, and a
crash in one child never stops the batch.  Results are collected in the order of the
sorted file list, so the output does not depend on scheduling.
"""
from __future__ import annotations

import json
import multiprocessing as mp
import os
import time
from dataclasses import dataclass
from pathlib import Path

from .duplicates import describe, mark_content_duplicates
from .process import DATASET_NAMES, empty_records, process_file
from .writer import write_datasets

def list_inputs(raw_dir: Path) -> list[Path]:
    """Every file under ``raw_dir`` except hidden ones (and DVC's own ``*.dvc`` files):
    a file the pipeline cannot read is reported as failed, never skipped."""
    files = [p for p in raw_dir.rglob("*")
             if p.is_file() and not any(part.startswith(".") for part in p.relative_to(raw_dir).parts)
             and p.suffix.lower() != ".dvc"]
    return sorted(files, key=lambda p: p.relative_to(raw_dir).as_posix())


def _failed(data: bytes, rel: str, message: str) -> dict[str, list[dict]]:
    from .process import doc_id_of
    import hashlib
    rec = empty_records()
    rec["documents"].append({
        "doc_id": doc_id_of(data), "source_path": rel, "format": None, "layout": None,
        "encoding": None, "sha256": hashlib.sha256(data).hexdigest(), "n_bytes": len(data),
        "n_pages": None, "status": "failed", "error": message, "n_sections": 0,
        "warnings": [], "text": None})
    return rec


def _child(conn, path: str, rel: str) -> None:
    try:
        data = Path(path).read_bytes()
        conn.send(process_file(data, rel))
    except BaseException as e:  # pragma: no cover - reported by the parent
        try:
            conn.send({"__error__": f"{type(e).__name__}: {e}"})
        except Exception:
            pass
    finally:
        conn.close()


@dataclass
class _Job:
    index: int
    path: Path
    rel: str
    proc: mp.Process
    conn: object
    started: float


def process_all(files: list[Path], raw_dir: Path, workers: int = 1, timeout: float = 300,
                progress: bool = True) -> list[dict[str, list[dict]]]:
    """Process files in parallel; return their records in the order of ``files``."""
    results: list[dict | None] = [None] * len(files)
    rels = [f.relative_to(raw_dir).as_posix() for f in files]
    if workers <= 1 and timeout <= 0:
        for i, f in enumerate(files):
            results[i] = process_file(f.read_bytes(), rels[i])
        return results  # type: ignore[return-value]

    warm_up()
    ctx = mp.get_context("fork")
    bar = _progress(len(files), progress)
    pending = list(range(len(files)))
    running: list[_Job] = []
    while pending or running:
        while pending and len(running) < max(1, workers):
            i = pending.pop(0)
            parent, child = ctx.Pipe(duplex=False)
            p = ctx.Process(target=_child, args=(child, str(files[i]), rels[i]), daemon=True)
            p.start()
            child.close()
            running.append(_Job(i, files[i], rels[i], p, parent, time.monotonic()))
        for job in list(running):
            done = False
            if job.conn.poll(0.02):
                try:
                    res = job.conn.recv()
                except EOFError:
                    res = {"__error__": f"worker exited with code {job.proc.exitcode}"}
                if "__error__" in res:
                    res = _failed(job.path.read_bytes(), job.rel,
                                  f"processing crashed ({res['__error__']}); please report this file")
                results[job.index] = res
                done = True
            elif not job.proc.is_alive() and not job.conn.poll(0):
                results[job.index] = _failed(job.path.read_bytes(), job.rel,
                                             f"worker died (exit code {job.proc.exitcode}); the file may be too large for memory")
                done = True
            elif timeout > 0 and time.monotonic() - job.started > timeout:
                job.proc.kill()
                results[job.index] = _failed(
                    job.path.read_bytes(), job.rel,
                    f"parsing took longer than {timeout:g} s and was stopped; raise "
                    f"timeout_seconds in params.yaml or split the file")
                done = True
            if done:
                job.proc.join(timeout=5)
                job.conn.close()
                running.remove(job)
                bar.update(1)
    bar.close()
    return results  # type: ignore[return-value]


def warm_up() -> None:
    """Load what every document needs once, before forking, so that children share it
    instead of each loading it again (spaCy + jieba take seconds to build)."""
    import extractors.extract  # noqa: F401  (forms, normalizers, vocabularies)
    from extractors.forms.common import vocab
    from extractors.narrative import get_nlp
    from extractors.segment import form_specs
    vocab()
    form_specs()
    get_nlp()
    for mod in ("pdfplumber", "docx", "openpyxl", "lxml.html", "opencc"):
        try:
            __import__(mod)
        except ImportError:  # pragma: no cover
            pass


class _NoBar:
    def update(self, n): pass
    def close(self): pass


def _progress(total: int, enabled: bool):
    if not enabled:
        return _NoBar()
    from tqdm import tqdm
    return tqdm(total=total, unit="doc", desc="documents", disable=None)


def merge(results: list[dict[str, list[dict]]]) -> dict[str, list[dict]]:
    out = empty_records()
    seen: set[str] = set()
    for res in results:
        doc = res["documents"][0]
        if doc["doc_id"] in seen:  # the same file twice: keep the first, say so
            first = next(d for d in out["documents"] if d["doc_id"] == doc["doc_id"])
            first["warnings"] = first["warnings"] + [f"identical copy also at {doc['source_path']}"]
            continue
        seen.add(doc["doc_id"])
        for name in DATASET_NAMES:
            out[name].extend(res[name])
    return out


def summarize(records: dict[str, list[dict]]) -> dict:
    docs = records["documents"]
    by_status: dict[str, int] = {}
    for d in docs:
        by_status[d["status"]] = by_status.get(d["status"], 0) + 1
    by_form: dict[str, int] = {}
    for s in records["sections"]:
        by_form[s["form_type"]] = by_form.get(s["form_type"], 0) + 1
    findings: dict[str, int] = {}
    for c in records["checks"]:
        key = f"{c['rule']}:{c['severity']}"
        findings[key] = findings.get(key, 0) + 1
    return {
        "documents": len(docs),
        "documents_by_status": dict(sorted(by_status.items())),
        "sections": len(records["sections"]),
        "sections_by_form_type": dict(sorted(by_form.items())),
        "blocks": len(records["blocks"]),
        "indicators": len(records["indicators"]),
        "funds": len(records["funds"]),
        "goals": len(records["goals"]),
        "facts": len(records["facts"]),
        "mentions": len(records["mentions"]),
        "findings": len(records["checks"]),
        "findings_by_rule": dict(sorted(findings.items())),
    }


def run(raw_dir: Path, out_dir: Path, workers: int = 1, timeout: float = 300,
        metrics_path: Path | None = None, progress: bool = True) -> dict:
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    files = list_inputs(raw_dir)
    results = process_all(files, raw_dir, workers=workers, timeout=timeout, progress=progress)
    records = merge(results)
    same_content = describe(records, mark_content_duplicates(records))
    write_datasets(records, out_dir)
    summary = summarize(records)
    summary["failed_files"] = [d["source_path"] for d in records["documents"] if d["status"] == "failed"]
    summary["same_content"] = same_content
    if metrics_path:
        Path(metrics_path).parent.mkdir(parents=True, exist_ok=True)
        Path(metrics_path).write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return summary


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))
