"""Facts written as a label cell and the value cell after it (``人员编制 | 21``), in a row
or in a stream of one-cell rows (dev r002: a 基本概况 table pasted as one cell per
paragraph, ``人员编制`` / ``21`` / ``实有人数`` / ``21``).

The label is matched by meaning (``normalizers.label_match.best_label`` over the fact columns of
``columns.yaml``, ``header_value_facts``); the value must be a number with nothing else in
the cell (a count or a percentage), else nothing is read.  A key already read by another
recogniser (a header row over a value row) is not read twice.
"""
from __future__ import annotations

import functools

from normalizers import parse_quantity
from normalizers.label_match import best_label, split_qualifiers

from .common import Ctx, fold, read, vocab

THRESHOLD = 0.9
MAX_LABEL = 10


@functools.lru_cache(maxsize=1 << 14)
def _key(text: str, columns: str) -> str | None:
    """The fact a label names among the vocabulary's ``columns`` entry (kept once
    computed: every label/value pair of every table asks every spec)."""
    core = split_qualifiers(text)[0]
    if not core or len(core) > MAX_LABEL:
        return None
    return best_label(core, vocab()[columns], threshold=THRESHOLD)[0]


def label_value_facts(ctx: Ctx) -> None:
    v = vocab()
    specs = [(spec["columns"], spec) for spec in v["header_value_facts"]]
    have = {f["key"] for f in ctx.facts}
    for t in ctx.section.tables():
        rows = t.rows()
        if t.n_cols == 1:  # a stream of cells: a label's value is the next cell
            cells = [r[0] for r in rows if r]
            rows = [cells[i:i + 2] for i in range(len(cells) - 1)]
        for row in rows:
            for k in range(len(row) - 1):
                label, value = row[k], row[k + 1]
                if not fold(label.text) or not fold(value.text):
                    continue
                for columns, spec in specs:
                    key = _key(label.content, columns)
                    if key is None or key in have:
                        continue
                    q = parse_quantity(read(value), unit_hint=spec.get("unit_hints", {}).get(key))
                    if q.op != "=" or q.value is None or q.kind not in ("count", "percent", "money"):
                        continue
                    ctx.fact(key, label, value, parsed=q.value, unit=q.unit or spec.get("units", {}).get(key),
                             kind=q.kind)
                    have.add(key)
                    break
