"""Pure check helpers over mentions: listed items against their total, mentions against table figures."""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Iterable, Sequence

from .model import Mention, ReportAnalysis
from .text import _nfkc

_NUM_RE = re.compile(r"\d+(?:\.\d+)?")


def _exact(m) -> bool:
    """A figure stated as a value (no comparator: not ≥ 90万元)."""
    return m.value is not None and m.op in (None, "=")


def _yuan(m) -> bool:
    """A money amount in 元 (not a per-unit rate such as 300元/年)."""
    return m.kind == "money" and (getattr(m, "unit", None) or "元") == "元"


def _display(m: Mention) -> tuple[Decimal, int, str] | None:
    """(scale from base unit to the written unit, decimals written, written unit)."""
    nm = _NUM_RE.search(m.value_raw)
    if nm is None or m.value is None:
        return None
    try:
        written = Decimal(nm.group(0))
    except InvalidOperation:
        return None
    decimals = len(nm.group(0).partition(".")[2])
    unit_written = re.sub(r"\s+", "", m.value_raw[nm.end():])
    if written != 0:
        scale = Decimal(m.value) / written
    else:
        scale = Decimal(10) ** 8 if "亿" in unit_written else \
            Decimal(10000) if "万" in unit_written else Decimal(1)
    return scale, decimals, unit_written


def _fmt(value: Decimal, scale: Decimal, decimals: int) -> str:
    q = Decimal(1).scaleb(-decimals)
    return str((value / scale).quantize(q, rounding=ROUND_HALF_UP))


def _where(m: Mention) -> str:
    path = " > ".join(m.heading_path) if m.heading_path else "report"
    return f"{path} (chars {m.char_start}-{m.char_end})"


def narrative_list_sum_findings(analysis: ReportAnalysis) -> list[dict]:
    """Totals whose listed money items do not add up (``checks`` rule narrative_list_sum).

    A total with at least two money items (``X是N万元，其中：A n1、B n2...``,
    ``N万元(A n1、B n2)``, ``A n1；B n2；共计N``) is compared with the exact Decimal sum
    of its items, expressed in the total's written unit and rounded to the total's
    written precision: ``1125.71万元`` against items summing to ``1125.70`` is a finding
    (0.01万元 is a real difference at that precision).  Severity is ``warning``; when
    the items fall more than 10 % short of the total (likely a partial list introduced
    by 主要包括) it is ``info``.
    """
    ms = analysis.mentions
    kids: dict[int, list[int]] = {}
    for i, m in enumerate(ms):
        if m.parent_index is not None:
            kids.setdefault(m.parent_index, []).append(i)
    out: list[dict] = []
    for t_idx, items in sorted(kids.items()):
        total = ms[t_idx]
        if not _yuan(total) or not _exact(total):
            continue
        items = [j for j in items if _yuan(ms[j])]
        if len(items) < 2 or not all(_exact(ms[j]) for j in items):
            continue
        disp = _display(total)
        if disp is None:
            continue
        scale, decimals, unit_written = disp
        item_sum = sum((Decimal(ms[j].value) for j in items), Decimal(0))
        observed = _fmt(item_sum, scale, decimals)
        expected = _fmt(Decimal(total.value), scale, decimals)
        if Decimal(observed) == Decimal(expected):
            continue
        diff = Decimal(observed) - Decimal(expected)
        severity = "warning"
        if diff < 0 and abs(diff) * 10 > Decimal(expected):
            severity = "info"
        listed = "、".join(f"{ms[j].label or '?'} {ms[j].value_raw.strip()}" for j in items)
        out.append({
            "rule": "narrative_list_sum",
            "severity": severity,
            "expected": total.value_raw.strip(),
            "observed": observed,
            "message": (f"narrative: {total.label or 'total'} {total.value_raw.strip()} "
                        f"but its {len(items)} listed items ({listed}) sum to "
                        f"{observed}{unit_written} (difference {diff:+}{unit_written}); "
                        f"at {_where(total)}: 「{total.sentence[:80]}」"),
            "mentions": [t_idx] + items,
            "total_index": t_idx,
            "item_indices": items,
            "expected_value": Decimal(total.value),
            "observed_value": item_sum,
            "paragraph_index": total.paragraph_index,
            "char_start": total.char_start,
            "char_end": total.char_end,
        })
    return out


_LABEL_SUFFIXES = ("经费", "支出")


def _norm_label(s: str | None) -> str:
    s = _nfkc(s or "")
    s = re.sub(r"\s+", "", s)
    return s.strip("“”\"'‘’《》")


def _label_stem(s: str) -> str:
    for suf in _LABEL_SUFFIXES:
        if s.endswith(suf) and len(s) - len(suf) >= 2:
            return s[: -len(suf)]
    return s


def _labels_match(a: str, b: str) -> bool:
    if not a or not b:
        return False
    return a == b or _label_stem(a) == _label_stem(b)


def match_narrative_to_tables(mentions: Sequence[Mention],
                              table_values: Iterable[tuple[str, Decimal, Any]]) -> list[dict]:
    """Narrative money figures that differ from the same figure in the tables.

    ``table_values`` are ``(label, value in 元, ref id)``.  A money mention (not a share)
    is compared with the table values of the same normalised label (NFKC, whitespace
    removed; ``公用经费`` also matches ``公用支出``).  Equality is judged at the
    mention's written precision (``75.65万元`` vs table 756400元 -> 75.64 ≠ 75.65; ``864万元``
    vs 8631700元 -> 863 ≠ 864).  If any same-label table value agrees there is no
    finding; otherwise one finding, against the closest table value.  Pure function.
    """
    table = [(_norm_label(lbl), Decimal(val), ref) for lbl, val, ref in table_values
             if val is not None]
    out: list[dict] = []
    for idx, m in enumerate(mentions):
        if not _yuan(m) or not _exact(m) or m.share_of is not None:
            continue
        lbl = _norm_label(m.label)
        cands = [(v, ref, tl) for tl, v, ref in table if _labels_match(lbl, tl)]
        if not cands:
            continue
        disp = _display(m)
        if disp is None:
            continue
        scale, decimals, unit_written = disp
        written = _fmt(Decimal(m.value), scale, decimals)
        if any(_fmt(v, scale, decimals) == written for v, _, _ in cands):
            continue
        v, ref, tl = min(cands, key=lambda c: abs(c[0] - Decimal(m.value)))
        expected = _fmt(v, scale, decimals)
        out.append({
            "rule": "narrative_vs_table",
            "severity": "warning",
            "expected": f"{expected}{unit_written}",
            "observed": m.value_raw.strip(),
            "message": (f"narrative states {m.label} {m.value_raw.strip()} at {_where(m)} "
                        f"but the table gives {tl} {expected}{unit_written} ({v}元, {ref})"),
            "mention_index": idx,
            "table_ref": ref,
            "refs": [idx, ref],
            "expected_value": v,
            "observed_value": Decimal(m.value),
        })
    return out
