"""The report's reading of Parquet, in Arrow: the columns a page shows, a digest of each
document's rows of a file (no Python object per value), and the rows of the documents
whose pages are rendered (filtered by ``doc_id`` in Arrow before they become dicts).
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

# Columns no page shows, not read (the large ones: a block's text and geometry, a
# mention's sentence).  tests/test_report_incremental.py renders pages with every column
# and with these left out and requires the same bytes.
UNSHOWN = {
    "blocks": ("section_id", "kind", "table_no", "row", "col", "rowspan", "colspan", "text",
               "x0", "top", "x1", "bottom", "heading_level", "grid_confidence"),
    "mentions": ("sentence", "subject"),
}
# what the index page needs of a document, kept in the state per file
INDEX_FIELDS = ("source_path", "format", "layout", "status", "error")


def _columns(pf: pq.ParquetFile, dataset: str) -> list[str]:
    skip = set(UNSHOWN.get(dataset, ()))
    return [n for n in pf.schema_arrow.names if n not in skip]


def read_file(path: Path, dataset: str) -> pa.Table:
    pf = pq.ParquetFile(path)  # (pq.read_table would import pyarrow.dataset: slow)
    return pf.read(columns=_columns(pf, dataset))


def read_rows(path: Path, dataset: str, spans: list[tuple[int, int]]) -> tuple[pa.Table, bool]:
    """The row groups of the file that hold the rows [start, start + n) of ``spans`` (the
    rows of the documents to render, from the state), the columns of ``read_file``; and
    whether that is every row group."""
    pf = pq.ParquetFile(path)
    groups, first = [], 0
    for g in range(pf.metadata.num_row_groups):
        n = pf.metadata.row_group(g).num_rows
        if any(s < first + n and s + c > first for s, c in spans):
            groups.append(g)
        first += n
    return pf.read_row_groups(groups, columns=_columns(pf, dataset)), len(groups) == pf.metadata.num_row_groups


def _runs(table: pa.Table) -> tuple[pa.Table, list[str | None], list[int], list[int], bool]:
    """The table with each document's rows together (file order kept where they already
    are), per document: doc_id, first row, row count; and whether rows had to be moved."""
    enc = pc.dictionary_encode(table.column("doc_id")).combine_chunks()
    idx = enc.indices.fill_null(-1).to_numpy(zero_copy_only=False)
    starts = np.concatenate(([0], np.flatnonzero(idx[1:] != idx[:-1]) + 1))
    moved = len(set(idx[starts].tolist())) != len(starts)   # a document's rows not together
    if moved:   # (np.unique would import numpy.ma: 45 ms)
        order = np.argsort(idx, kind="stable")
        table, idx = table.take(pa.array(order)), idx[order]
        starts = np.concatenate(([0], np.flatnonzero(idx[1:] != idx[:-1]) + 1))
    ends = np.append(starts[1:], len(idx))
    names = enc.dictionary.to_pylist()
    ids = [names[i] if i >= 0 else None for i in idx[starts].tolist()]
    return table, ids, starts.tolist(), (ends - starts).tolist(), moved


class _Level:
    """Bytes that determine the values of rows [s, e) of some columns, and nothing else:
    the same values at any place in any file give the same bytes (the Arrow IPC bytes of
    a slice do not: they carry neighbouring rows' data).  Per row, in one contiguous
    record: each column's validity, its value for fixed widths, its span length for
    strings, binary and lists; then per string column the span's bytes, per list column
    its elements (a ``_Level`` of the child rows)."""

    def __init__(self, arrays: list[pa.Array]):
        fixed: list[np.ndarray] = []
        self.data: list[tuple[np.ndarray, memoryview]] = []
        self.children: list[tuple[np.ndarray, _Level]] = []
        for a in arrays:
            n, t = len(a), a.type
            fixed.append(a.is_valid().to_numpy(zero_copy_only=False).view(np.uint8).reshape(n, 1))
            if pa.types.is_list(t):
                offs = a.offsets.to_numpy(zero_copy_only=False).astype(np.int64)
                fixed.append(np.diff(offs).view(np.uint8).reshape(n, 8))
                self.children.append((offs, _Level([a.values])))
            elif pa.types.is_string(t) or pa.types.is_binary(t):
                bufs = a.buffers()
                offs = np.frombuffer(bufs[1], np.int32)[a.offset:a.offset + n + 1].astype(np.int64)
                fixed.append(np.diff(offs).view(np.uint8).reshape(n, 8))
                self.data.append((offs, memoryview(bufs[2]) if bufs[2] is not None else memoryview(b"")))
            elif pa.types.is_boolean(t):
                fixed.append(a.fill_null(False).to_numpy(zero_copy_only=False).view(np.uint8).reshape(n, 1))
            elif t.bit_width % 8 == 0 and a.buffers()[1] is not None:   # ints, floats, decimals, dates
                w = t.bit_width // 8
                fixed.append(np.frombuffer(a.buffers()[1], np.uint8)[a.offset * w:(a.offset + n) * w].reshape(n, w))
            else:
                raise TypeError(f"report digest: no canonical bytes for Arrow type {t}")
        self.fixed = np.ascontiguousarray(np.hstack(fixed))

    def update(self, h, s: int, e: int) -> None:
        h.update(self.fixed[s:e])
        for offs, data in self.data:
            h.update(data[offs[s]:offs[e]])
        for offs, child in self.children:
            child.update(h, int(offs[s]), int(offs[e]))


def digest_file(table: pa.Table, dataset: str) -> dict:
    """``{"docs", "digests", "rows", "extra"}``: per doc_id of the file a digest of its rows
    (``_Level``'s bytes and the schema: equal digests, equal values), the row
    count, and for ``documents`` the index fields of its rows, for ``checks`` the findings
    per severity."""
    entry: dict = {"docs": [], "digests": [], "rows": [], "extra": [], "starts": []}
    if table.num_rows == 0:
        return entry
    table, ids, starts, counts, moved = _runs(table.combine_chunks())
    if moved:   # where each document's rows start in the file (rendering reads only their
        entry["starts"] = None   # row groups); none when they are not together in it
    [batch] = table.combine_chunks().to_batches()
    level = _Level(batch.columns)
    schema = hashlib.blake2b(table.schema.serialize().to_pybytes(), digest_size=16).digest()
    extra_cols = (INDEX_FIELDS if dataset == "documents" else ("severity",) if dataset == "checks" else ())
    extra_vals = {c: table.column(c).to_pylist() for c in extra_cols}
    for d, s, n in zip(ids, starts, counts):
        if d is None:
            continue
        h = hashlib.blake2b(schema + n.to_bytes(8, "little"), digest_size=16)
        level.update(h, s, s + n)
        entry["docs"].append(d)
        entry["digests"].append(h.hexdigest())
        entry["rows"].append(n)
        if entry["starts"] is not None:
            entry["starts"].append(s)
        if dataset == "documents":
            entry["extra"].append([[extra_vals[c][i] for c in INDEX_FIELDS] for i in range(s, s + n)])
        elif dataset == "checks":
            sev: dict[str, int] = defaultdict(int)
            for v in extra_vals["severity"][s:s + n]:
                sev[str(v)] += 1
            entry["extra"].append(dict(sev))
        else:
            entry["extra"].append(None)
    return entry


def rows_of(table: pa.Table, doc_ids: set[str]) -> dict[str, list[dict]]:
    """doc_id -> its rows (dicts, file order), for the given documents only."""
    keep = table.filter(pc.is_in(table.column("doc_id"), value_set=pa.array(sorted(doc_ids), pa.string())))
    out: dict[str, list[dict]] = defaultdict(list)
    for r in keep.to_pylist():
        out[r["doc_id"]].append(r)
    return out
