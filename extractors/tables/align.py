"""Align the cells of a row that lost its grid to the columns of its header, by shape.

A row packed to the left (a web page that dropped the empty or merged cells) is matched
to the header's columns in order: each cell goes to a column whose role accepts its
shape (``columns.yaml``: ``shapes``), columns may stay empty, order is kept.  The reading
with the highest score wins; among equals the one that fills the leftmost columns.
``ambiguous`` says whether another reading scored the same.

``sparse`` names the roles whose column is usually empty (a deviation note is written
only where a target was missed): a cell goes there only when no column that every row
fills accepts it, so ``name | target | actual`` of a row that lost its empty note
cell is not read as ``name | target | note``.
"""
from __future__ import annotations

from .grid import cell_shape

NEG = float("-inf")


SPARSE_PENALTY = 1.0


def align(texts: list[str], roles: list[str], shapes: dict[str, list[str]],
          sparse: frozenset[str] | set[str] | tuple[str, ...] = ()) -> tuple[list[int | None], bool]:
    """For each cell text, the index in ``roles`` it goes to (None: unplaced), and
    whether the best reading is ambiguous."""
    n, m = len(texts), len(roles)
    kinds = [cell_shape(t) for t in texts]

    def fit(i: int, j: int) -> float:
        accepted = shapes.get(roles[j])
        k = kinds[i]
        if k == "empty":
            return 0.5
        if not accepted:
            return 1.0
        if k in accepted:
            base = 2.0 if k == accepted[0] else 1.0 + 0.5 / (1 + accepted.index(k))
            return base - SPARSE_PENALTY if roles[j] in sparse else base
        return NEG

    # best[i][j]: best score placing cells i.. into columns j..; ways counts ties
    best = [[NEG] * (m + 1) for _ in range(n + 1)]
    ways = [[0] * (m + 1) for _ in range(n + 1)]
    for j in range(m + 1):
        best[n][j], ways[n][j] = 0.0, 1
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = fit(i, j) + best[i + 1][j + 1] if best[i + 1][j + 1] > NEG else NEG
            skip = best[i][j + 1]
            if take > NEG and (take > skip + 1e-9):
                best[i][j], ways[i][j] = take, ways[i + 1][j + 1]
            elif skip > NEG and skip > take + 1e-9:
                best[i][j], ways[i][j] = skip, ways[i][j + 1]
            elif take > NEG:
                best[i][j], ways[i][j] = take, ways[i + 1][j + 1] + ways[i][j + 1]
    if best[0][0] == NEG:  # no reading places every cell: keep the order, left first
        return [k if k < m else None for k in range(n)], True
    out: list[int | None] = []
    i = j = 0
    while i < n:
        take = fit(i, j) + best[i + 1][j + 1] if best[i + 1][j + 1] > NEG else NEG
        if take > NEG and take >= best[i][j + 1] - 1e-9:
            out.append(j)
            i += 1
        j += 1
    return out, ways[0][0] > 1
