"""The header model: a table's header block (1–3 rows, merged cells included) as
column paths with roles.

Each grid column gets a path, the header texts above it from top to bottom
(``绩效指标/一级指标``, ``年度指标值/指标值``).  Each path element is split into its core
label and qualifiers (``normalizers.split_qualifiers``: horizon 年度/长期, scale 万元,
letter (A), weight (20分)), the core is scored against every role's labels
(``normalizers.similarity``, rapidfuzz), and roles are assigned best score first, each
role to one column and each column to one role.  A column whose horizon is 长期/中期
yields to one of this year; among equal scores the column that holds data in the body
wins.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from normalizers.frozen import frozen_vocabulary as _frozen
from normalizers.label_match import label_core, sharing, similarity, split_qualifiers

from ..model import Block
from .grid import dense_rows_at, row_end

LONG_TERM = ("长期", "中期")
ANCESTOR_DISCOUNT = 0.92
LONG_TERM_DISCOUNT = 0.85


@dataclass
class Column:
    col: int                      # first grid column
    span: int                     # grid columns it covers
    path: tuple[str, ...]         # header texts, top to bottom
    cells: tuple[Block, ...]      # the header blocks of the path
    qualifiers: dict = field(default_factory=dict)
    role: str | None = None
    score: float = 0.0
    label: str | None = None      # the path element that matched


@dataclass
class Header:
    start: int                    # index in ``rows`` of the first header row
    end: int                      # index of the first body row
    width: int
    columns: list[Column]

    @property
    def roles(self) -> dict[int, str]:
        return {c.col: c.role for c in self.columns if c.role}

    def column(self, role: str) -> Column | None:
        return next((c for c in self.columns if c.role == role), None)

    def col_of(self, role: str) -> int | None:
        c = self.column(role)
        return c.col if c else None

    def role_at(self, col: int) -> str | None:
        for c in self.columns:
            if c.col <= col < c.col + c.span:
                return c.role
        return None

    def blocks(self) -> list[Block]:
        seen: dict[int, Block] = {}
        for c in self.columns:
            for b in c.cells:
                seen.setdefault(id(b), b)
        return list(seen.values())


def _paths(rows: list[list[Block]], start: int, end: int, width: int, dense=None):
    dense = dense_rows_at(rows, start, end) if dense is None else dense[start:end]
    cols: list[tuple[int, tuple[Block, ...]]] = []
    for g in range(1, width + 1):
        chain: list[Block] = []
        for d in dense:
            b = d.get(g)
            if b is not None and (not chain or chain[-1] is not b) and (b.text or "").strip():
                chain.append(b)
        cols.append((g, tuple(chain)))
    merged: list[tuple[int, int, tuple[Block, ...]]] = []
    for g, chain in cols:
        if merged and merged[-1][2] == chain and chain and all((b.colspan or 1) > 1 for b in chain[-1:]):
            c0, span, ch = merged[-1]
            merged[-1] = (c0, span + 1, ch)
        else:
            merged.append((g, 1, chain))
    return merged


def _data_count(rows: list[list[Block]], body: range, col: int, span: int) -> int:
    n = 0
    for i in body:
        for b in rows[i]:
            if b.col < col + span and b.col + (b.colspan or 1) > col and (b.text or "").strip():
                n += 1
                break
    return n


def build_header(rows: list[list[Block]], start: int, end: int, vocabulary: dict[str, list[str]], *,
                 threshold: float = 0.8, body_rows: int = 8, fits=None, dense=None) -> Header:
    """The header model of ``rows[start:end]`` against ``vocabulary`` (role → labels).
    ``fits(role, column_body_blocks) -> bool`` may veto a role for a column whose body
    cannot hold it (a label column under 年度预算数(万元) is not a 预算数).  ``dense`` is
    ``dense_rows(rows)`` where the caller has it (a table walked row by row)."""
    width = max((row_end(r) for r in rows[start:min(len(rows), end + body_rows)]), default=0)
    body = range(end, min(len(rows), end + body_rows))
    columns: list[Column] = []
    cands: list[tuple[float, int, int, str, str]] = []
    role_labels = _frozen(vocabulary)
    for k, (col, span, chain) in enumerate(_paths(rows, start, end, width, dense)):
        quals: dict = {}
        texts = []
        for b in chain:
            core, q = split_qualifiers(b.content)
            texts.append(core)
            for key, v in q.items():
                quals.setdefault(key, v) if key != "horizon" else quals.__setitem__(key, v)
        column = Column(col=col, span=span, path=tuple(texts), cells=chain, qualifiers=quals)
        columns.append(column)
        if not chain:
            continue
        data = None
        path = [(core, 1.0 if depth == 0 else ANCESTOR_DISCOUNT, _role_similarities(core, role_labels))
                for depth, core in enumerate(reversed(texts))]
        # only a role that some header text of the path scores at least the threshold for
        # can reach it (the discounts are at most 1): the others are not looked at
        hot = sorted({r for core, _, _ in path for r in _hot_roles(core, role_labels, threshold)})
        for r in hot:
            role = role_labels[r][0]
            best, best_lab = 0.0, None
            for core, disc, sims in path:
                s = sims[r] * disc
                if s > best:
                    best, best_lab = s, core
            if best < threshold:
                continue
            if quals.get("horizon") in LONG_TERM:
                best *= LONG_TERM_DISCOUNT
            if data is None:
                data = _data_count(rows, body, col, span)
            cands.append((best, data, -col, role, best_lab))
    cands.sort(reverse=True)
    taken_roles: set[str] = set()
    by_col = {c.col: c for c in columns}
    for score, data, negcol, role, lab in cands:
        column = by_col[-negcol]
        if role in taken_roles or column.role is not None:
            continue
        if fits is not None and not fits(role, _body_blocks(rows, body, column)):
            continue
        column.role, column.score, column.label = role, score, lab
        taken_roles.add(role)
    return Header(start=start, end=end, width=width, columns=columns)


@lru_cache(maxsize=1 << 14)
def _role_similarities(core: str, role_labels: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[float, ...]:
    """The best ``similarity`` of a header text to any of each role's labels (0 for
    none), in the vocabulary's order: one look-up per header text (the same header texts
    meet the same roles in every table).  Only the labels sharing a character with the
    text are scored (``sharing``): the others score 0."""
    near: dict[int, list[int]] = {}
    for i, j in sharing(core, role_labels):
        near.setdefault(i, []).append(j)
    return tuple(max((similarity(core, label_core(labels[j])) for j in near.get(i, ())), default=0.0)
                 for i, (_, labels) in enumerate(role_labels))


@lru_cache(maxsize=1 << 14)
def _hot_roles(core: str, role_labels, threshold: float) -> tuple[int, ...]:
    """The roles (indices into ``role_labels``) whose labels ``core`` matches at least
    ``threshold``."""
    return tuple(r for r, x in enumerate(_role_similarities(core, role_labels)) if x >= threshold)


def _body_blocks(rows, body, column: Column) -> list[Block]:
    out = []
    for i in body:
        for b in rows[i]:
            if b.col == column.col:
                out.append(b)
    return out


def find_header(rows: list[list[Block]], i: int, vocabulary: dict[str, list[str]], accept, *,
                max_rows: int = 3, threshold: float = 0.8, fits=None, body_rows: int = 8,
                viable=None, dense=None) -> Header | None:
    """The header starting at ``rows[i]``: the block of 1..``max_rows`` rows whose model
    ``accept(header)`` takes, preferring the block with more roles (a two-row header
    over its first row).  A row below joins the block only while it holds no data
    (every non-empty cell scores as a label of some role or is covered from above).

    ``viable(roles)``, where given, is a test on a set of role names that holds for every
    superset of the roles of any header ``accept`` takes (``accept`` needs three roles:
    ``len(roles) >= 3``).  A block of rows is then modelled only if ``viable`` holds for
    the roles its header texts reach the threshold for (``possible_roles``): most rows
    of a table are body rows, whose model ``accept`` would refuse.  ``dense`` is
    ``dense_rows(rows)`` where the caller has it (a table walked row by row): the rows'
    merged cells are then not looked for again at every row."""
    best: Header | None = None
    possible: set[str] = set()
    if viable is not None:
        near = dense_rows_at(rows, i, min(len(rows), i + max_rows)) if dense is None else dense[i:i + max_rows]
    for n in range(1, max_rows + 1):
        if i + n > len(rows):
            break
        if n > 1 and not (_short_row(rows[i]) and _label_row(rows[i + n - 1], vocabulary, threshold)):
            break
        if viable is not None:
            possible |= possible_roles(near[n - 1], _frozen(vocabulary), threshold)
            if not viable(possible):
                continue  # no header of these rows has the roles accept needs
        h = build_header(rows, i, i + n, vocabulary, threshold=threshold, fits=fits, body_rows=body_rows,
                         dense=dense)
        if accept(h) and (best is None or len(h.roles) > len(best.roles)):
            best = h
    return best


def possible_roles(dense_row: dict[int, Block], role_labels, threshold: float) -> set[str]:
    """The roles that some header text of one dense row (``dense_rows_at``: its own cells
    and the merged ones covering it) reaches ``threshold`` for: every role ``build_header``
    can give a column of a header holding that row is among them (an ancestor's score is
    discounted, never raised)."""
    out: set[str] = set()
    for b in dense_row.values():
        if (b.text or "").strip():
            out |= _text_roles(b.content, role_labels, threshold)
    return out


@lru_cache(maxsize=1 << 14)
def _text_roles(text: str, role_labels, threshold: float) -> frozenset[str]:
    """The roles a header cell's text reaches ``threshold`` for (its core: ``split_qualifiers``)."""
    return frozenset(role_labels[r][0] for r in _hot_roles(split_qualifiers(text)[0], role_labels, threshold))


def _short_row(row: list[Block], limit: int = 16) -> bool:
    return all(len(split_qualifiers(b.content)[0]) <= limit for b in row)


def _label_row(row: list[Block], vocabulary: dict[str, list[str]], threshold: float) -> bool:
    texts = [b.content for b in row if (b.text or "").strip()]
    if not texts:
        return False
    for t in texts:
        core, _ = split_qualifiers(t)
        if len(core) > 16:
            return False
        if not any(x >= threshold for x in _role_similarities(core, _frozen(vocabulary))):
            return False
    return True
