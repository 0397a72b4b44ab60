"""Rows of a table as the form parsers read them.

Tables whose text lost their rows (a single-column stream of cells: one cell per
paragraph, or one cell per line ending in ``|``) have their rows rebuilt by layout
inference (:mod:`extractors.layout.streams`, from the width of a recognised header)
before any parser runs, so every table reaches the parsers as a grid.  This module keeps
only the two functions the form layer imports; the header-run regrouper that lived here
was replaced by that general mechanism.
"""
from __future__ import annotations

import dataclasses

from ..model import Block, Table


def table_rows(ctx, table: Table) -> list[list[Block]]:  # noqa: ARG001 - kept for the callers
    """The rows of a table (cells grouped by row, left to right)."""
    return table.rows()


def view(block: Block, row: int, col: int) -> Block:
    """A copy of ``block`` placed at another grid position."""
    return dataclasses.replace(block, row=row, col=col)
