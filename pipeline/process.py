"""One pure function per document: file bytes in, records of every dataset out.

``process_file`` never raises for bad input: an unreadable or unrecognised file gives a
``documents`` row with status ``failed``/``partial`` and an error a person can act on.
Because it depends only on its arguments, documents can run in any order, in parallel,
or on another machine, and give the same records.
"""
from __future__ import annotations

import hashlib
import traceback

from extractors.extract import extract
from extractors.model import ReaderError
from extractors.readers import detect_format, read_document

from .checks import run_checks

DATASET_NAMES = ("documents", "sections", "blocks", "indicators", "funds", "goals",
                 "facts", "mentions", "checks")


def doc_id_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def empty_records() -> dict[str, list[dict]]:
    return {name: [] for name in DATASET_NAMES}


def process_file(data: bytes, source_path: str) -> dict[str, list[dict]]:
    sha = hashlib.sha256(data).hexdigest()
    doc_id = sha[:16]
    records = empty_records()
    row = {"doc_id": doc_id, "source_path": source_path, "format": None, "layout": None,
           "encoding": None, "sha256": sha, "n_bytes": len(data), "n_pages": None,
           "status": "ok", "error": None, "n_sections": 0, "warnings": [], "text": None}
    records["documents"].append(row)
    try:
        row["format"] = detect_format(data)
        doc = read_document(data, source_path)
    except ReaderError as e:
        row["status"], row["error"] = e.status, str(e)
        return records
    except MemoryError:
        raise  # the pool reports it as a memory failure and replaces the worker
    except Exception as e:  # a reader bug must not stop the batch
        row["status"] = "failed"
        row["error"] = (f"reader crashed ({type(e).__name__}: {e}); please report this file "
                        f"with the traceback: {traceback.format_exc(limit=3)}")
        return records

    row.update(format=doc.format, layout=doc.layout, n_pages=doc.n_pages, text=doc.text,
               warnings=list(doc.warnings))
    for w in doc.warnings:
        if w.startswith("decoded as "):
            row["encoding"] = w.removeprefix("decoded as ")
    if doc.format == "txt" and row["encoding"] is None:
        row["encoding"] = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        out = extract(doc, doc_id)
    except MemoryError:
        raise
    except Exception as e:
        row["status"] = "failed"
        row["error"] = (f"extraction crashed ({type(e).__name__}: {e}); the text was read "
                        f"but no section could be parsed; please report this file")
        return records
    for name, rows in out.items():
        records[name].extend(rows)
    secs = records["sections"]
    row["n_sections"] = len(secs)
    problems = [s for s in secs if s["status"] != "ok"]
    if not secs or all(s["form_type"] == "unknown" for s in secs):
        row["status"] = "partial"
        row["error"] = ("no recognisable form: no section title or header matches a known "
                        "form (基础数据表, 整体支出绩效自评表, 项目支出绩效自评表, 绩效目标表, 自评报告); "
                        "check that this is a budget-performance document, or add its title "
                        "to extractors/forms/forms.yaml")
    elif problems:
        row["status"] = "partial"
        row["error"] = "; ".join(f"section {s['ordinal']} ({s['form_type']}): {s['status_message']}"
                                 for s in problems)[:2000]
    try:
        records["checks"] = run_checks(records)
    except Exception as e:
        row["warnings"].append(f"checks crashed ({type(e).__name__}: {e}); findings incomplete")
    return records


def document_tables(data: bytes, source_path: str):
    """``process_file`` checked against the published schema: one ``pa.Table`` per dataset
    (``pipeline.tables.to_tables``; a value that does not fit is null and flagged).  A
    document whose records cannot be tabulated at all is a ``failed`` documents row."""
    from .tables import to_tables
    records = process_file(data, source_path)
    try:
        return to_tables(records)
    except MemoryError:
        raise
    except Exception as e:
        row = dict(records["documents"][0])
        row.update(status="failed", text=None, n_sections=0,
                   error=f"the records of this file could not be written ({type(e).__name__}: {e}); "
                         f"please report this file")
        return to_tables({"documents": [row]})
