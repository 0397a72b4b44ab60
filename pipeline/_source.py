"""Where a value's characters are in ``documents.text``: shared by trace and report.

Kept free of heavy imports (no DuckDB, no pyarrow) so that either module can use it.
"""
from __future__ import annotations

# The cells of an indicator row: (role, block column, raw-text column, value column).
INDICATOR_CELLS = (
    ("name", "name_block", "name_raw", "name"),
    ("target", "target_block", "target_raw", "target_value"),
    ("actual", "actual_block", "actual_raw", "actual_value"),
    ("weight", "weight_block", None, "weight"),
    ("score", "score_block", None, "score"),
)
# The 一级/二级指标 label cells an indicator's levels were carried down from.
INDICATOR_LABEL_CELLS = (
    ("level1", "level1_block", "level1_raw", "level1"),
    ("level2", "level2_block", "level2_raw", "level2"),
)


def locate(text: str, start: int, end: int, raw: str | None = None) -> tuple[int, int]:
    """The characters of ``raw`` inside [start, end) of ``text``; else the span without
    its surrounding whitespace (the whole span if it is only whitespace)."""
    seg = text[start:end]
    r = (raw or "").strip()
    if r:
        i = seg.find(r)
        if i >= 0:
            return start + i, start + i + len(r)
    lead = len(seg) - len(seg.lstrip())
    trail = len(seg) - len(seg.rstrip())
    if lead + trail >= len(seg):
        return start, end
    return start + lead, end - trail
