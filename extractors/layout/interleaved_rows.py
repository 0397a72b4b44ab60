"""Pairing a run of labels with a run of values, only where the pairing is certain.

Pure logic over typed tokens (no text): a :class:`Label` carries the points written in it
(``相关性(5 分)`` → 5), a :class:`Value` is a figure printed apart from its label.  A table
of ``depth`` label columns with merged cells prints, for each row, the labels that open
there (a new label at a level opens every level below it) and then the row's value, so

- between two values stand 1..``depth`` labels, and their count fixes their levels (the
  last is the row's own label, the ones before it the groups it opens);
- the first row opens every level;
- each value is at most the points of its row's label;
- a group whose run is over (a later label at its level or above) has exactly the points
  of its members, a group still open has at least theirs;
- the other alignment (each value printed before its label) must not fit as well.

Anything else is not paired: :func:`pair_rows` returns no rows and the reason.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Label:
    weight: Decimal
    start: int
    end: int


@dataclass(frozen=True)
class Value:
    value: Decimal
    start: int
    end: int


@dataclass
class Row:
    labels: list[tuple[int, Label]]  # (level 0..depth-1, label) opening in this row
    value: Value

    def label_at(self, level: int) -> Label | None:
        return next((lab for k, lab in self.labels if k == level), None)

    @property
    def leaf(self) -> Label:
        return self.labels[-1][1]


@dataclass
class Paired:
    rows: list[Row] | None
    reason: str = ""  # why nothing was paired, or what was left unpaired
    end: int | None = None  # end of the last paired value
    groups: list[str] = field(default_factory=list)


def _groups(tokens: list) -> tuple[list[tuple[list[Label], Value]], list[Label], str]:
    groups, labels = [], []
    for t in tokens:
        if isinstance(t, Label):
            labels.append(t)
        elif not labels:
            return groups, labels, f"value {t.value} at [{t.start}:{t.end}] follows no label"
        else:
            groups.append((labels, t))
            labels = []
    return groups, labels, ""


def pair_rows(tokens: list, depth: int) -> Paired:
    groups, rest, err = _groups(tokens)
    if err:
        return Paired(None, err)
    if not groups:
        return Paired(None, "no value follows the labels")
    rows: list[Row] = []
    for labels, value in groups:
        if len(labels) > depth:
            return Paired(None, f"{len(labels)} labels before the value at [{value.start}:{value.end}], "
                                f"the header has {depth} label columns")
        first = depth - len(labels)
        if not rows and first:
            return Paired(None, "the first row does not open every level")
        rows.append(Row(list(enumerate(labels, start=first)), value))
    for r in rows:
        if r.value.value > r.leaf.weight:
            return Paired(None, f"score {r.value.value} at [{r.value.start}:{r.value.end}] exceeds "
                                f"its row's points {r.leaf.weight}")
    err = _sums(rows, depth)
    if err:
        return Paired(None, err)
    if _before_fits(rows, rest):
        return Paired(None, "each value fits both the label before it and the label after it")
    note = ""
    if rest:
        note = (f"{len(rest)} label(s) after the last value at [{rest[0].start}:{rest[-1].end}] have no value "
                "(the table is cut there): not published")
    return Paired(rows, note, rows[-1].value.end)


def _sums(rows: list[Row], depth: int) -> str:
    """Each closed group's points equal the sum of its members' points; open ones hold at
    least theirs.  An error message, or ''."""
    open_: list[tuple[Label, Decimal] | None] = [None] * depth  # per level: (label, members' sum)

    def close(level: int) -> str:
        for k in range(depth - 2, level - 1, -1):
            node = open_[k]
            if node is not None:
                lab, total = node
                if total != lab.weight:
                    return (f"the points of the label at [{lab.start}:{lab.end}] ({lab.weight}) are not "
                            f"the sum of its rows' ({total})")
                open_[k] = None
        return ""

    for r in rows:
        top = r.labels[0][0]
        err = close(top)
        if err:
            return err
        for k, lab in r.labels:
            if k < depth - 1:
                open_[k] = (lab, Decimal(0))
            if k > 0 and open_[k - 1] is not None:
                parent, total = open_[k - 1]
                open_[k - 1] = (parent, total + lab.weight)
    for k in range(depth - 1):
        node = open_[k]
        if node is not None and node[1] > node[0].weight:
            return f"the rows under the label at [{node[0].start}:{node[0].end}] exceed its points"
    return ""


def _before_fits(rows: list[Row], rest: list[Label]) -> bool:
    """Would each value fit the row label after it as well (value printed first)?"""
    leaves = [r.leaf for r in rows] + list(rest)
    return all(r.value.value <= leaves[k + 1].weight for k, r in enumerate(rows) if k + 1 < len(leaves)) \
        and len(leaves) > len(rows)
