"""Row grammar for glued cells: the runs of glued text that the readings walk, and the
search shared by the form's cross-row constraints.

A reading is a tuple of rows; a row is a tuple of cell spans ``(start, end)`` into the
text, one per column (an empty cell is ``(p, p)``).  Nothing here decides between two
readings that both satisfy the constraints: the caller refuses such a run.  The readings
themselves: ``grammar_indicators`` (indicator rows, 总分 lines) and ``grammar_funds``
(fund lines).
"""
from __future__ import annotations

import itertools
from typing import Callable, Sequence

CAP = 64  # more readings than this: reported as "more than CAP"
MAX_RUN = 2000  # a run between two labels longer than this is not read (reported)
Span = tuple[int, int]
Row = tuple[Span, ...]


class Text:
    """The text of a run with its holes (page markers, fillers) that no cell may cross."""

    def __init__(self, text: str, start: int, end: int, holes: list[Span] = ()):
        self.text, self.start, self.end = text, start, end
        self.holes = sorted(h for h in holes if start <= h[0] < end)
        self._split_at: set[int] | None = None
        self._reach_at: dict[int, int | None] = {}

    def skip(self, i: int) -> int:
        """The next position where a cell may start: whitespace and holes skipped."""
        moved = True
        while moved and i < self.end:
            moved = False
            while i < self.end and self.text[i].isspace():
                i += 1
                moved = True
            for a, b in self.holes:
                if a <= i < b:
                    i, moved = b, True
        return min(i, self.end)

    def crosses(self, i: int, j: int) -> bool:
        return any(i < b and a < j for a, b in self.holes)

    def _reach(self, i: int) -> int | None:
        """The start of the first hole a cell from ``i`` would meet: ``crosses(i, j)``
        is exactly ``j > _reach(i)`` (None: no hole ends after ``i``).  Kept per ``i``:
        the walk over a run asks it again for every cell that starts at ``i``."""
        if i not in self._reach_at:
            self._reach_at[i] = min((a for a, b in self.holes if i < b), default=None)
        return self._reach_at[i]

    def splits_figure(self, j: int) -> bool:
        """True if a cell ending at ``j`` on a digit is followed, across a hole, by a digit
        or a percent sign: the page marker fell inside one printed figure (10 / 2、 / 0%),
        so where the cell ends is not written."""
        if self._split_at is None:  # once per run: the digit ends just before each hole
            self._split_at = set()
            for a, b in self.holes:
                e = a
                while e > self.start and self.text[e - 1].isspace():
                    e -= 1
                k = self.skip(e)
                if e > self.start and self.text[e - 1].isdigit() and k < self.end and self.crosses(e, k) \
                        and (self.text[k].isdigit() or self.text[k] in "%％‰."):
                    self._split_at.add(e)
        return j in self._split_at

    def after_hole(self, i: int) -> bool:
        """True if only whitespace separates ``i`` from the end of a hole or the run start."""
        k = i
        while k > self.start and self.text[k - 1].isspace():
            k -= 1
        return k == self.start or any(b == k for _, b in self.holes)

    def ends(self, i: int, limit: int):
        """Cell end positions after ``i`` (the cell ends on a non-space, crosses no hole)."""
        stop = min(self.end, i + limit)
        m = self._reach(i)
        if m is not None:
            stop = min(stop, m)  # past m the cell would cross a hole
        for j in range(i + 1, stop + 1):
            if not self.text[j - 1].isspace():
                yield j


class Spaced(Text):
    """A run whose cells are separated by whitespace: a cell is one token."""

    def ends(self, i: int, limit: int):
        j = i
        m = self._reach(i)
        stop = self.end if m is None else min(self.end, m)  # j + 1 > m would cross a hole
        while j < stop and not self.text[j].isspace():
            j += 1
        if j > i:
            yield j


def consistent_readings(readings: Sequence[list], ok: Callable[[tuple[int, ...]], bool],
                        limit: int = 100000) -> list[list] | None:
    """The readings of each run that take part in at least one combination (one reading
    per run, as indices) that ``ok`` accepts; every list is empty when none does.  None
    when there are more than ``limit`` combinations to try."""
    n = 1
    for r in readings:
        n *= len(r)
    if n > limit:
        return None
    keep: list[set[int]] = [set() for _ in readings]
    for combo in itertools.product(*[range(len(r)) for r in readings]):
        if ok(combo):
            for i, c in enumerate(combo):
                keep[i].add(c)
    return [[rd for c, rd in enumerate(r) if c in keep[i]] for i, r in enumerate(readings)]
