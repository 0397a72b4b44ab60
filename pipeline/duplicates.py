"""Documents with the same content read from different files (e.g. a form as ``.txt`` and
as ``.docx``): byte-identical copies have the same ``doc_id``; these do not.

Two documents hold the same content when every form section of one (form type, fiscal
year, unit, project and the normalised values of its indicators and fund figures) is
also a section of the other.  Values are compared after normalisation, never as raw
text, so the same form laid out by different readers still matches; a section with no
indicator and no fund figure says too little to match anything.

``find_content_duplicates`` maps every document of such a group to the group's first
document (the one with the most form sections, then status ok before partial, then
source path), the first one included: ``documents.same_content_as``.  Queries count a
document's figures only where ``coalesce(same_content_as, doc_id) = doc_id``.
"""
from __future__ import annotations

import hashlib
from decimal import Decimal

STATUS_RANK = {"ok": 0, "partial": 1}

IND_FIELDS = ("level1", "level2", "name", "target_op", "target_value", "target_upper", "target_unit",
              "actual_op", "actual_value", "actual_upper", "actual_unit", "weight", "score")
FUND_FIELDS = ("item", "parent_item", "measure", "period_year", "amount_yuan")


def _norm(v):
    if isinstance(v, Decimal):
        return format(v.normalize(), "f")
    if isinstance(v, str):
        return "".join(v.split())
    return v


def _section_key(section: dict, indicators: list[dict], funds: list[dict]):
    """A digest of the content of one form section; None when it has no values to compare."""
    if not indicators and not funds:
        return None
    head = tuple(_norm(section.get(k)) for k in ("form_type", "fiscal_year", "unit_name", "project_name"))
    # repr orders rows whose fields mix None and text (a missing name, an empty unit)
    ind = tuple(sorted((tuple(_norm(i.get(k)) for k in IND_FIELDS) for i in indicators), key=repr))
    fund = tuple(sorted((tuple(_norm(f.get(k)) for k in FUND_FIELDS) for f in funds), key=repr))
    # a digest: a streamed run keeps every document's keys until the end
    return hashlib.blake2b(repr((head, ind, fund)).encode("utf-8"), digest_size=16).hexdigest()


def content_keys(records: dict[str, list[dict]]) -> dict[str, frozenset]:
    """doc_id -> the set of its form sections' content keys (documents with none left out)."""
    by_section: dict[str, dict[str, list[dict]]] = {}
    for name in ("indicators", "funds"):
        for r in records.get(name, []):
            by_section.setdefault(r["section_id"], {"indicators": [], "funds": []})[name].append(r)
    keys: dict[str, set] = {}
    for s in records.get("sections", []):
        rows = by_section.get(s["section_id"])
        if not rows:
            continue
        k = _section_key(s, rows["indicators"], rows["funds"])
        if k is not None:
            keys.setdefault(s["doc_id"], set()).add(k)
    return {d: frozenset(k) for d, k in keys.items()}


def find_content_duplicates(records: dict[str, list[dict]]) -> dict[str, str]:
    """doc_id -> doc_id of the first document with the same content, for every document
    of a group of two or more (the first maps to itself); documents with unique content
    are absent.  Deterministic: independent of the order of ``records``."""
    return group_by_content(content_keys(records), records.get("documents", []))


def group_by_content(keys: dict[str, frozenset], documents: list[dict]) -> dict[str, str]:
    """``find_content_duplicates`` from the documents' ``content_keys`` (the streamed run
    keeps only these keys and the documents' doc_id, status and source_path)."""
    docs = {d["doc_id"]: d for d in documents if d["doc_id"] in keys
            and d.get("status") != "failed"}
    order = sorted(docs, key=lambda i: (-len(keys[i]), STATUS_RANK.get(docs[i].get("status"), 9),
                                        docs[i].get("source_path") or "", i))
    # a group's first holds every key of the documents it takes: only the firsts holding
    # one key of a document (its smallest) can take it, looked up by that key instead of
    # tried one by one (which made a batch of distinct documents quadratic: 100,000 of them
    # ~5e9 set comparisons)
    holding: dict = {}                  # key -> the firsts holding it, in order of appearance
    out: dict[str, str] = {}
    for doc_id in order:
        ks = keys[doc_id]
        first = next((f for f in holding.get(min(ks), ()) if ks <= keys[f]), None) if ks else None
        if first is None:
            for k in ks:
                holding.setdefault(k, []).append(doc_id)
        else:
            out[doc_id] = first
            out[first] = first
    return out


def mark_content_duplicates(records: dict[str, list[dict]]) -> dict[str, str]:
    """Set ``same_content_as`` on every ``documents`` row (null for unique content) and
    return the mapping."""
    dup = find_content_duplicates(records)
    for d in records.get("documents", []):
        d["same_content_as"] = dup.get(d["doc_id"])
    return dup


def describe(records: dict[str, list[dict]], dup: dict[str, str]) -> list[str]:
    """One line per group for the run summary: the counted file, then the others."""
    path = {d["doc_id"]: d.get("source_path") or d["doc_id"] for d in records.get("documents", [])}
    groups: dict[str, list[str]] = {}
    for doc, first in dup.items():
        if doc != first:
            groups.setdefault(first, []).append(doc)
    return [f"{path[first]} = " + " = ".join(sorted(path[d] for d in others))
            for first, others in sorted(groups.items(), key=lambda kv: path[kv[0]])]
