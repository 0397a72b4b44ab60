"""Printing a trace (:func:`pipeline.trace.trace`'s result): one summary line per row,
the spans with their block positions, and the source lines around each span with the
value's characters marked (ANSI colours or ``»…«``)."""
from __future__ import annotations

import os
import re
from decimal import Decimal

from .trace_store import SINGULAR, Store


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
