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

import os
import re
import sys
from decimal import Decimal
from pathlib import Path

import duckdb

from ._source import INDICATOR_CELLS, INDICATOR_LABEL_CELLS, locate as _locate

DOC_RE = r"[0-9a-f]{16}"
ID_SHAPES = [
    (re.compile(rf"^(?P<doc>{DOC_RE})$"), "documents"),
    (re.compile(rf"^(?P<doc>{DOC_RE}):c(?P<n>\d+)$"), "checks"),
    (re.compile(rf"^(?P<doc>{DOC_RE}):(?P<sec>\d+)$"), "sections"),
    (re.compile(rf"^(?P<doc>{DOC_RE}):(?P<sec>\d+):(?P<kind>[bifgdkm])(?P<n>\d+)$"), None),
]
CHILD_DATASET = {"b": "blocks", "i": "indicators", "f": "funds", "g": "goals", "d": "goals",
                 "k": "facts", "m": "mentions"}
PK = {"documents": "doc_id", "sections": "section_id", "blocks": "block_id",
      "indicators": "indicator_id", "funds": "fund_id", "goals": "goal_id", "facts": "fact_id",
      "mentions": "mention_id", "checks": "check_id"}
SINGULAR = {"documents": "document", "sections": "section", "blocks": "block",
            "indicators": "indicator", "funds": "fund", "goals": "goal", "facts": "fact",
            "mentions": "mention", "checks": "check"}
ID_HELP = ("ids look like 806e84d27ac093d9 (document), 806e84d27ac093d9:2 (section), "
           "…:2:b64 (block), …:2:i3 (indicator), …:1:f11 (fund), …:2:g1 / …:2:d1 (goal / duty), "
           "…:2:k2 (fact), …:6:m11 (mention), 806e84d27ac093d9:c1 (check)")


class UnknownId(KeyError):
    """The id has no row in any dataset (or is not shaped like an id)."""

    def __str__(self) -> str:  # KeyError quotes its message otherwise
        return str(self.args[0]) if self.args else "unknown id"


class MissingData(FileNotFoundError):
    pass


def dataset_of(id_: str) -> str | None:
    """The dataset an id belongs to, from its shape alone (None if it is not an id)."""
    for rx, ds in ID_SHAPES:
        m = rx.match(id_)
        if m:
            return ds or CHILD_DATASET[m.group("kind")]
    return None


# ---------------------------------------------------------------------------- store

class Store:
    """Rows of the Parquet datasets by primary key, read with DuckDB and cached."""

    def __init__(self, parquet_dir: Path):
        self.dir = Path(parquet_dir)
        if not self.dir.is_dir() or not any((self.dir / "documents").rglob("*.parquet")):
            raise MissingData(f"no datasets under {self.dir} (expected {self.dir}/documents/*.parquet); "
                              f"run `uv run python -m pipeline run data/raw --out {self.dir}` first")
        self.con = duckdb.connect()
        self._rows: dict[str, dict[str, dict]] = {}
        self._text: dict[str, str | None] = {}

    def _glob(self, ds: str) -> str:
        return (self.dir / ds / "**" / "*.parquet").as_posix()

    def has(self, ds: str) -> bool:
        return any((self.dir / ds).rglob("*.parquet"))

    def query(self, sql: str, params=()) -> list[dict]:
        cur = self.con.execute(sql, list(params))
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]

    def get_many(self, ds: str, ids: list[str]) -> dict[str, dict]:
        cache = self._rows.setdefault(ds, {})
        want = [i for i in dict.fromkeys(ids) if i and i not in cache]
        if want and self.has(ds):
            cols = "* EXCLUDE (text)" if ds == "documents" else "*"
            marks = ",".join("?" for _ in want)
            for r in self.query(f"SELECT {cols} FROM read_parquet('{self._glob(ds)}') "
                                f"WHERE {PK[ds]} IN ({marks})", want):
                cache[r[PK[ds]]] = r
        return {i: cache[i] for i in ids if i in cache}

    def get(self, ds: str, id_: str) -> dict | None:
        return self.get_many(ds, [id_]).get(id_)

    def block(self, block_id: str) -> dict | None:
        """A block; the first request loads every block of its section (one query)."""
        cache = self._rows.setdefault("blocks", {})
        if block_id not in cache:
            sec = _section_of(block_id)
            loaded = self._rows.setdefault("_sections_loaded", {})
            if sec and sec not in loaded and self.has("blocks"):
                loaded[sec] = True
                for r in self.query(f"SELECT * FROM read_parquet('{self._glob('blocks')}') "
                                    f"WHERE section_id = ?", [sec]):
                    cache.setdefault(r["block_id"], r)
        return cache.get(block_id) or self.get("blocks", block_id)

    def text(self, doc_id: str) -> str | None:
        if doc_id not in self._text:
            rows = self.query(f"SELECT text FROM read_parquet('{self._glob('documents')}') WHERE doc_id = ?",
                              [doc_id])
            self._text[doc_id] = rows[0]["text"] if rows else None
        return self._text[doc_id]

    def where(self, ds: str, column: str, value) -> list[dict]:
        if not self.has(ds):
            return []
        return self.query(f"SELECT * FROM read_parquet('{self._glob(ds)}') WHERE {column} = ? "
                          f"ORDER BY {PK[ds]}", [value])


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


def _doc_of(id_: str) -> str:
    return id_.split(":", 1)[0]


def _section_of(id_: str) -> str | None:
    parts = id_.split(":")
    if len(parts) >= 2 and parts[1].isdigit():
        return f"{parts[0]}:{parts[1]}"
    return None


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


# ---------------------------------------------------------------------------- printing

class Marks:
    def __init__(self, color: bool):
        self.color = color
        self.open, self.close = ("\x1b[1;30;43m", "\x1b[0m") if color else ("»", "«")
        self.dim_open, self.dim_close = ("\x1b[2m", "\x1b[0m") if color else ("", "")
        self.bold_open, self.bold_close = ("\x1b[1m", "\x1b[0m") if color else ("", "")

    def dim(self, s: str) -> str:
        return f"{self.dim_open}{s}{self.dim_close}"

    def bold(self, s: str) -> str:
        return f"{self.bold_open}{s}{self.bold_close}"


def _use_color(color: str, stream) -> bool:
    if color == "always":
        return True
    if color == "never":
        return False
    return bool(getattr(stream, "isatty", lambda: False)()) and not os.environ.get("NO_COLOR") \
        and os.environ.get("TERM") != "dumb"


def source_excerpt(text: str, start: int, end: int, marks: Marks, context: int = 1,
                   width: int = 70, max_lines: int = 8) -> list[str]:
    """Numbered source lines around [start, end) with the span marked."""
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    import bisect
    first = bisect.bisect_right(line_starts, start) - 1
    last = bisect.bisect_right(line_starts, max(start, end - 1)) - 1
    lo, hi = max(0, first - context), min(len(line_starts) - 1, last + context)
    out = []
    shown = 0
    for ln in range(lo, hi + 1):
        ls = line_starts[ln]
        le = line_starts[ln + 1] - 1 if ln + 1 < len(line_starts) else len(text)
        line = text[ls:le]
        in_span = first <= ln <= last
        if in_span and last - first + 1 > max_lines and ln - first >= max_lines - 1 and ln != last:
            if ln == first + max_lines - 1:
                out.append(f"{'':>6} {marks.dim('┆')} {marks.dim(f'… {last - ln} more line(s) …')}")
            continue
        s = max(start, ls) - ls if in_span else None
        e = min(end, le) - ls if in_span else None
        # window long lines around the marked part
        a, b = 0, len(line)
        if len(line) > width * 2:
            if in_span:
                a = max(0, s - width // 2)
                b = min(len(line), max(e, s) + width // 2)
            else:
                b = width
        piece = line[a:b].replace("\t", "⇥ ")
        if in_span:
            ps, pe = s - a, e - a
            raw = line[a:b]
            head, mid, tail = raw[:ps], raw[ps:pe], raw[pe:]
            piece = (head.replace("\t", "⇥ ") + marks.open + mid.replace("\t", "⇥ ") + marks.close
                     + tail.replace("\t", "⇥ "))
        piece = ("…" if a > 0 else "") + piece + ("…" if b < len(line) else "")
        out.append(f"{ln + 1:>6} {marks.dim('│')} {piece}")
        shown += 1
    return out


def _fmt_val(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, Decimal):
        n = v.normalize()
        return f"{n:f}"
    return str(v)


def _position(b: dict | None) -> str:
    if not b:
        return ""
    parts = []
    if b.get("page") is not None:
        box = ", ".join(f"{b[k]:.1f}" for k in ("x0", "top", "x1", "bottom") if b.get(k) is not None)
        parts.append(f"page {b['page']} box ({box})")
    if b.get("kind") == "cell" or b.get("table_no") is not None:
        pos = f"table {b.get('table_no')} row {b.get('row')} col {b.get('col')}"
        if (b.get("rowspan") or 1) > 1 or (b.get("colspan") or 1) > 1:
            pos += f" span {b.get('rowspan') or 1}×{b.get('colspan') or 1}"
        parts.append(pos)
    elif b.get("kind"):
        parts.append(b["kind"] + (f" level {b['heading_level']}" if b.get("heading_level") else ""))
    if b.get("address"):
        parts.append(f"cell {b['address']}")
    return ", ".join(parts)


def _quantity(r: dict, p: str) -> str:
    """An indicator's target or actual (``p``) as normalised: op, value, unit, kind."""
    if r.get(f"{p}_op") in (None, "na"):
        return "n/a"
    if r.get(f"{p}_op") == "qual":
        return f"「{(r.get(f'{p}_raw') or '').strip()}」 (qualitative)"
    v = _fmt_val(r[f"{p}_value"]) if r.get(f"{p}_value") is not None else "?"
    return f"{r.get(f'{p}_op')} {v} {r.get(f'{p}_unit') or ''} ({r.get(f'{p}_kind')})".replace("  ", " ")


def _indicator_summary(r: dict) -> str:
    lw = f" ({_fmt_val(r['level1_weight'])})" if r.get("level1_weight") is not None else ""
    return (f"「{r.get('name')}」 {r.get('level1')}{lw} › {r.get('level2')}; target {_quantity(r, 'target')}; "
            f"actual {_quantity(r, 'actual')}; weight {_fmt_val(r.get('weight'))}, score {_fmt_val(r.get('score'))}")


def _value_read(r: dict) -> str:
    """A fact's or mention's value as written → as normalised."""
    return f"{r.get('value_raw')} → {_fmt_val(r.get('value'))} {r.get('unit') or ''}"


def _mention_summary(r: dict) -> str:
    share = f", share of {r['share_of']}" if r.get("share_of") else ""
    return (f"{r.get('label')} = {_value_read(r)} ({r.get('kind')}{share}); "
            f"under {' › '.join(r.get('heading_path') or []) or 'no heading'}")


# one line about a row, by dataset
SUMMARY = {
    "indicators": _indicator_summary,
    "funds": lambda r: (f"{r.get('item')} (parent {r.get('parent_item') or '—'}) {r.get('measure_raw')} "
                        f"[{r.get('measure')}, {r.get('period_year')}] = {_fmt_val(r.get('amount_yuan'))} 元 "
                        f"(written {r.get('amount_raw')} {r.get('unit_raw') or ''})"),
    "facts": lambda r: f"{r.get('key')} 「{r.get('label_raw')}」 = {_value_read(r)}",
    "goals": lambda r: f"{r.get('kind')} #{r.get('ordinal')}",
    "mentions": _mention_summary,
    "blocks": lambda r: f"{r.get('kind')} {_position(r)}",
    "checks": lambda r: f"[{r.get('severity')}] {r.get('rule')}: {r.get('message')}",
    "sections": lambda r: (f"#{r.get('ordinal')} {r.get('attachment_label') or '(no attachment label)'} "
                           f"{r.get('form_type')} 「{r.get('title')}」 status {r.get('status')}"),
    "documents": lambda r: f"{r.get('source_path')} ({r.get('status')})",
}


def _summary(info: dict) -> str:
    fmt = SUMMARY.get(info["dataset"])
    return fmt(info["row"]) if fmt else ""


def render(info: dict, marks: Marks, store: Store | None = None, brief: bool = False) -> list[str]:
    out: list[str] = []
    ds = info["dataset"]
    out.append(marks.bold(f"{SINGULAR[ds]} {info['id']}") + f"  {_summary(info)}")
    d = info["document"]
    if not brief:
        pages = f", {d.get('n_pages')} pages" if d.get("n_pages") else ""
        out.append(f"  file     {d.get('source_path')}  ({d.get('format')}, layout {d.get('layout')}, "
                   f"{d.get('n_bytes')} bytes{pages}, status {d.get('status')})")
        out.append(f"  sha256   {d.get('sha256')}")
        if d.get("error"):
            out.append(f"  error    {d['error']}")
        if d.get("same_content_as"):
            first = d["same_content_as"]
            out.append("  same     " + ("other files hold the same forms; this one is counted"
                                        if first == d.get("doc_id") else
                                        f"forms as {first}, the one counted (same_content_as)"))
    s = info.get("section")
    if s and ds != "sections":
        out.append(f"  section  {s['section_id']}  #{s.get('ordinal')} {s.get('attachment_label') or '—'} "
                   f"{s.get('form_type')} 「{s.get('title')}」" + ("" if brief else f" (status {s.get('status')})"))
    if ds == "sections" and not brief:
        r = info["row"]
        for k in ("fiscal_year", "unit_name", "project_name", "competent_dept", "implementing_unit",
                  "preparer", "total_weight", "total_score", "status_message"):
            if r.get(k) is not None:
                out.append(f"  {k:<17}{_fmt_val(r[k])}")
        out.append(f"  chars    {r.get('char_start')}-{r.get('char_end')}; "
                   + ", ".join(f"{v} {k}" for k, v in info.get("counts", {}).items()))
    if ds == "documents" and not brief:
        out.append("  " + ", ".join(f"{v} {k}" for k, v in info.get("counts", {}).items()))
        for sec in info.get("sections", []):
            out.append(f"    {sec['section_id']:<22} {sec.get('attachment_label') or '—':<6} "
                       f"{sec.get('form_type'):<18} {sec.get('status'):<9} 「{sec.get('title')}」")
    if ds == "goals" and not brief and not info["spans"]:
        r = info["row"]
        out.append(f"  expected 「{(r.get('expected_text') or '').strip()}」")
        out.append(f"  actual   「{(r.get('actual_text') or '').strip() if r.get('actual_text') else '—'}」")
    if ds == "checks" and not brief:
        r = info["row"]
        out.append(f"  expected {r.get('expected')}   stated {r.get('observed')}")
    text = store.text(d["doc_id"]) if store else None
    for sp in info["spans"]:
        if brief and sp["role"] in ("level1", "level2"):
            continue
        head = f"  {sp['role']:<8} "
        if sp.get("text") is not None:
            shown = sp["text"].strip().replace("\n", "⏎")
            if len(shown) > 60:
                shown = shown[:57] + "…"
            head += f"「{shown}」"
        if sp.get("value") is not None and sp["role"] not in ("name", "label", "expected", "actual"):
            head += f" = {_fmt_val(sp['value'])}"
        if sp.get("block_id"):
            head += f"  {sp['block_id']}"
        pos = _position(sp.get("block"))
        if pos:
            head += f"  {pos}"
        if sp.get("char_start") is not None:
            head += marks.dim(f"  chars {sp['char_start']}-{sp['char_end']}")
        out.append(head)
        if text is not None and sp.get("char_start") is not None:
            out.extend("  " + line for line in source_excerpt(
                text, sp["char_start"], sp["char_end"], marks, context=0 if brief else 1,
                max_lines=3 if brief or ds == "sections" else 8))
    if ds == "checks":
        out.append(f"  refs ({len(info['refs'])}):")
        for ref in info["refs"]:
            if "error" in ref:
                out.append(f"    {ref['id']}: {ref['error']}")
                continue
            out.extend("    " + line for line in render(ref, marks, store, brief=True))
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
