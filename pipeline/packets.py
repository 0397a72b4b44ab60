"""One document's tables as a compact message from a worker to the parent.

A worker used to send its nine ``pa.Table`` objects pickled (2.5 ms a document to pickle,
2.2 ms for the parent to unpickle: a schema and ~180 arrays rebuilt per document).  A
``Packet`` holds instead the Arrow IPC record-batch messages of the datasets that have
rows, in one byte string (0.15 ms to write; the parent maps them back without copying,
against the schemas both sides know), and the ``Digest`` the parent's merger needs of the
document (its documents row, form types, findings, content keys), computed where the
tables were made, so the parent never converts a document's columns to Python objects.

``digest(tables)`` is the same function wherever it runs: the parent computes it for a
cached document, a copy or a failure, the worker for a processed one.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pyarrow as pa

from .schema import DATASETS
from .tables import arrow_schema, empty_tables

# the documents-row fields a later byte-identical copy's row is made from (run.Merger)
COPIED = ("doc_id", "source_path", "format", "layout", "encoding", "sha256", "n_bytes", "n_pages",
          "status")


def _key_columns() -> dict[str, tuple[str, ...]]:
    """The columns ``duplicates.content_keys`` reads, per dataset."""
    from .duplicates import FUND_FIELDS, IND_FIELDS
    return {"sections": ("section_id", "doc_id", "form_type", "fiscal_year", "unit_name", "project_name"),
            "indicators": ("section_id",) + IND_FIELDS, "funds": ("section_id",) + FUND_FIELDS}


_KEY_COLUMNS = _key_columns()


@dataclass(frozen=True)
class Digest:
    """What the merger keeps or counts of one document."""
    doc: dict                       # the COPIED fields of its documents row
    forms: tuple                    # sections.form_type, in order
    findings: tuple                 # (rule, severity) of each checks row, in order
    keys: dict                      # doc_id -> frozenset of 16-byte content-key digests


def digest(tables: dict[str, pa.Table]) -> Digest:
    doc = tables["documents"].select(list(COPIED)).slice(0, 1).to_pylist()[0]
    secs = tables["sections"]
    forms = tuple(secs.column("form_type").to_pylist()) if secs.num_rows else ()
    ch = tables["checks"]
    findings = (tuple(zip(ch.column("rule").to_pylist(), ch.column("severity").to_pylist()))
                if ch.num_rows else ())
    keys: dict = {}
    if tables["indicators"].num_rows or tables["funds"].num_rows:
        from .duplicates import content_keys
        k = content_keys({n: tables[n].select(list(cols)).to_pylist() for n, cols in _KEY_COLUMNS.items()})
        # kept for the whole run: 16 bytes per form section instead of its values
        keys = {d: frozenset(hashlib.blake2b(repr(x).encode(), digest_size=16).digest() for x in ks)
                for d, ks in k.items()}
    return Digest(doc, forms, findings, keys)


@dataclass(frozen=True)
class Packet:
    """The tables of one document as IPC messages: ``parts`` gives each non-empty
    dataset's name and the end offset of its record batches in ``payload``."""
    parts: tuple                    # ((dataset, (end offset of each batch, ...)), ...)
    payload: bytes
    digest: Digest

    def tables(self) -> dict[str, pa.Table]:
        out = empty_tables()
        buf = pa.py_buffer(self.payload)
        start = 0
        for name, ends in self.parts:
            schema = arrow_schema(name)
            batches = []
            for end in ends:
                batches.append(pa.ipc.read_record_batch(buf.slice(start, end - start), schema))
                start = end
            out[name] = pa.Table.from_batches(batches, schema)
        return out


def pack(tables: dict[str, pa.Table]) -> Packet:
    sink = pa.BufferOutputStream()
    parts = []
    for name in DATASETS:
        t = tables.get(name)
        if t is None or t.num_rows == 0:
            continue
        ends = []
        for b in t.to_batches():
            if b.num_rows:
                sink.write(b.serialize())
                ends.append(sink.tell())
        parts.append((name, tuple(ends)))
    return Packet(tuple(parts), sink.getvalue().to_pybytes(), digest(tables))
