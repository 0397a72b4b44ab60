"""``python -m pipeline trace ID``: follow any id back to the characters it came from.

The dataset is read off the id's shape (CONTRACT.md, Identifiers)::

    806e84d27ac093d9            document (16 hex digits)
    806e84d27ac093d9:2          section
    806e84d27ac093d9:2:b64      block          :i  indicator   :f  fund
    :g / :d  goal / duty        :k  fact       :m  mention
    806e84d27ac093d9:c1         check (its refs are traced too)

:func:`trace` returns the structured provenance (used by tests and the HTML report);
:func:`trace_main` prints it with the source text around every span, the value's
characters marked (ANSI colours on a terminal, ``»…«`` otherwise).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from ._source import INDICATOR_CELLS, INDICATOR_LABEL_CELLS, locate as _locate
from .trace_render import Marks, _use_color, render, source_excerpt  # noqa: F401
from .trace_store import (CHILD_DATASET, DOC_RE, ID_HELP, ID_SHAPES, PK, SINGULAR,  # noqa: F401
                          MissingData, Store, UnknownId, _doc_of, _section_of, dataset_of)


# ---------------------------------------------------------------------------- spans

BLOCK_POS = ("kind", "table_no", "row", "col", "rowspan", "colspan", "page", "x0", "top", "x1",
             "bottom", "address", "heading_level")


def _span(store: Store, doc_text: str | None, role: str, block_id: str | None = None,
          raw: str | None = None, start: int | None = None, end: int | None = None,
          value=None, exact: bool = False) -> dict | None:
    block = store.block(block_id) if block_id else None
    if start is None and block is not None:
        start, end = block["char_start"], block["char_end"]
    if start is None or end is None or doc_text is None:
        if block is None:
            return None
        return {"role": role, "block_id": block_id, "block": _block_info(block), "char_start": None,
                "char_end": None, "text": None, "raw": raw, "value": value}
    s, e = (start, end) if exact else _locate(doc_text, start, end, raw)
    return {"role": role, "block_id": block_id, "block": _block_info(block) if block else None,
            "char_start": s, "char_end": e, "text": doc_text[s:e], "raw": raw, "value": value}


def _block_info(b: dict) -> dict:
    return {k: b.get(k) for k in ("block_id", "char_start", "char_end", *BLOCK_POS)}


def _spans_for(store: Store, ds: str, row: dict, doc_text: str | None) -> list[dict]:
    sp = []

    def add(*a, **k):
        s = _span(store, doc_text, *a, **k)
        if s:
            sp.append(s)

    if ds == "blocks":
        add("block", row["block_id"], start=row["char_start"], end=row["char_end"], exact=True)
        sp[-1]["raw"] = row.get("text")
    elif ds == "indicators":
        for role, blk, raw, val in INDICATOR_CELLS + INDICATOR_LABEL_CELLS:
            if row.get(blk):
                add(role, row[blk], raw=row.get(raw) if raw else None, value=row.get(val))
    elif ds == "funds":
        add("amount", row.get("block_id"), raw=row.get("amount_raw"), value=row.get("amount_yuan"))
        if row.get("item_block") and row.get("item_block") != row.get("block_id"):
            add("label", row.get("item_block"), raw=row.get("item_raw"), value=row.get("item"))
        elif row.get("item_block") and sp and doc_text is not None:
            # label and amount in one cell (其中：基本支出：863.17): the words before the amount
            b = sp[0]["block"]
            seg = doc_text[b["char_start"]:sp[0]["char_start"]]
            m = re.match(r"^(\s*(?:其\s*中\s*[:：]?)?\s*)(.*?)[\s:：]*$", seg, re.S)
            if m and m.group(2):
                st = b["char_start"] + m.end(1)
                en = st + len(m.group(2))
                sp.append({"role": "label", "block_id": row["item_block"], "block": b, "char_start": st,
                           "char_end": en, "text": doc_text[st:en], "raw": row.get("item_raw"),
                           "value": row.get("item")})
    elif ds == "goals":
        for role in ("expected", "actual"):
            st, en = row.get(f"{role}_start"), row.get(f"{role}_end")
            if st is not None and en is not None:
                add(role, row.get(f"{role}_block"), start=st, end=en, value=row.get(f"{role}_text"))
            elif row.get(f"{role}_block"):
                add(role, row.get(f"{role}_block"), raw=row.get(f"{role}_text"))
    elif ds == "facts":
        add("value", row.get("block_id"), raw=row.get("value_raw"), value=row.get("value"))
    elif ds == "mentions":
        add("value", row.get("block_id"), start=row.get("char_start"), end=row.get("char_end"),
            value=row.get("value"), exact=True)
        if sp:
            sp[-1]["raw"] = row.get("value_raw")
    elif ds == "sections":
        if doc_text is not None and row.get("char_start") is not None:
            st, en = row["char_start"], row["char_end"]
            seg = doc_text[st:en]
            # the title line: the first line that holds the title's characters
            title = re.sub(r"\s+", "", row.get("title") or "")
            pos = st
            for line in seg.splitlines(keepends=True):
                if title and re.sub(r"\s+", "", line).find(title[:6]) >= 0:
                    s, e = _locate(doc_text, pos, pos + len(line), None)
                    sp.append({"role": "title", "block_id": None, "block": None, "char_start": s,
                               "char_end": e, "text": doc_text[s:e], "raw": row.get("title"),
                               "value": None})
                    break
                pos += len(line)
    return sp


# ---------------------------------------------------------------------------- trace

DOC_FIELDS = ("doc_id", "source_path", "sha256", "format", "layout", "encoding", "n_bytes",
              "n_pages", "status", "error", "n_sections", "same_content_as")
SECTION_FIELDS = ("section_id", "ordinal", "attachment_label", "form_type", "title", "fiscal_year",
                  "unit_name", "project_name", "status", "status_message", "char_start", "char_end")


def trace(id_: str, parquet_dir: Path | str, *, store: Store | None = None,
          follow_refs: bool = True) -> dict:
    """Structured provenance of any id.  Raises :class:`UnknownId` (exit code 2 in the
    command) or :class:`MissingData`."""
    id_ = (id_ or "").strip()
    store = store or Store(Path(parquet_dir))
    ds = dataset_of(id_)
    if ds is None:
        raise UnknownId(f"{id_!r} is not an id; {ID_HELP}")
    row = store.get(ds, id_)
    if row is None:
        doc = store.get("documents", _doc_of(id_))
        why = ("no document has doc_id " + _doc_of(id_)) if doc is None else \
              f"document {_doc_of(id_)} ({doc['source_path']}) has no {SINGULAR[ds]} {id_}"
        raise UnknownId(f"unknown id {id_!r}: {why}")
    doc_id = row.get("doc_id") or _doc_of(id_)
    doc = store.get("documents", doc_id) or {"doc_id": doc_id}
    sec_id = row.get("section_id") or (_section_of(id_) if ds != "sections" else id_)
    sec = store.get("sections", sec_id) if sec_id else None
    text = store.text(doc_id)
    out = {
        "id": id_, "dataset": ds, "row": {k: v for k, v in row.items() if k != "text"},
        "document": {k: doc.get(k) for k in DOC_FIELDS},
        "section": {k: sec.get(k) for k in SECTION_FIELDS} if sec else None,
        "spans": _spans_for(store, ds, row, text),
        "refs": [],
    }
    if ds == "documents":
        out["sections"] = [{k: s.get(k) for k in SECTION_FIELDS} for s in store.where("sections", "doc_id", id_)]
        out["counts"] = {name: len(store.where(name, "doc_id", id_)) for name in
                         ("sections", "blocks", "indicators", "funds", "goals", "facts", "mentions", "checks")}
    if ds == "sections":
        out["counts"] = {name: len(store.where(name, "section_id", id_)) for name in
                         ("blocks", "indicators", "funds", "goals", "facts", "mentions", "checks")}
    if ds == "checks" and follow_refs:
        covered: set[str] = set()
        for ref in row.get("refs") or []:
            if dataset_of(ref) == "blocks" and ref in covered:
                continue  # already shown as the cell of a fund/indicator/... above
            try:
                t = trace(ref, parquet_dir, store=store, follow_refs=False)
            except UnknownId as e:
                out["refs"].append({"id": ref, "error": str(e)})
                continue
            covered.update(sp["block_id"] for sp in t["spans"] if sp.get("block_id"))
            out["refs"].append(t)
    return out


def trace_main(id_: str, parquet_dir: Path | str, color: str = "auto", out=None) -> int:
    """Print where ``id_`` comes from.  Exit codes: 0 found, 2 unknown id, 1 no data."""
    out = out or sys.stdout
    try:
        store = Store(Path(parquet_dir))
        info = trace(id_, parquet_dir, store=store)
    except UnknownId as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except MissingData as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    marks = Marks(_use_color(color, out))
    print("\n".join(render(info, marks, store)), file=out)
    return 0
