"""Write the datasets as Parquet: streamed, bounded, partitioned, atomic, deterministic,
and incremental.

Layout.  Datasets of ``schema.PARTITION_BY`` (sections, indicators, funds) are
hive-partitioned by the row's own ``fiscal_year`` and ``province``
(``fiscal_year=2023/province=…/``, ``__HIVE_DEFAULT_PARTITION__`` when unknown); the
columns are also kept inside the files, so a file read on its own is complete.  The other
six datasets (documents, blocks, goals, facts, mentions, checks) are not partitioned: they
have no such column, a hive folder would add one to every query that reads them (and
clash, as an ambiguous name, in the joins with sections and indicators that the published
queries make), and a document's sections may name different years or provinces, so any
one value for the whole document would be a guess.  What makes a rerun cheap is not the
folders but the files: every (dataset, partition) is cut into content-defined files that
end at document boundaries (``chunks.py``), ``part-00000.parquet``, ``part-00001…`` in input
order, up to about 32 files per dataset for the batch, 1–64 MiB of Arrow data each (DuckDB reads
a few dozen files of up to tens of MB per dataset well; 100k documents do not give
thousands of small files), row groups of up to 131,072 rows or 2 MiB.  Every dataset is
readable as ``read_parquet('<out>/<dataset>/**/*.parquet')``.

Incremental.  One added, changed or deleted document changes the file it falls into;
every other file holds the same documents, has the same digest of its inputs, and is
hard-linked from the previous output instead of written (``chunks.StreamWriter``).  The
digests are listed per file in ``datapackage.json`` (``resources[].files[].inputs_digest``)
and in the run manifest (``manifest.py``): a file with an unchanged digest is the same
inode as before.

Deterministic: a file's bytes are a function of the documents it holds (no timestamps; row
group and file boundaries depend only on those rows; the memory budget spills to disk
rather than cutting a row group short), so an incremental run, a full run, any worker
count and the Dask backend give byte-identical files.

``atomic_output(out_dir)`` gives a temporary folder beside ``out_dir`` and swaps it in
only when the block completes; on an exception the earlier output is left as it was.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
from pathlib import Path
from urllib.parse import quote

import pyarrow as pa
import pyarrow.parquet as pq

from .chunks import StreamWriter, part_name, weight
from .schema import DATASETS, PARTITION_BY, PRIMARY_KEYS, arrow_schema, description

CONTRACT_VERSION = "1"
MANIFEST = "_manifest.tsv"   # the run manifest (manifest.py), swapped in with the datasets


NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"   # DuckDB's and Hive's name for a null key


def partition_dir(columns: tuple[str, ...], values: tuple) -> str:
    """``fiscal_year=2023/province=%E5%9B%9B%E5%B7%9D%E7%9C%81``: values percent-encoded and a
    null as ``__HIVE_DEFAULT_PARTITION__``, as DuckDB's own partitioned COPY writes them."""
    return "/".join(f"{c}={NULL_PARTITION if v is None else quote(str(v), safe='')}"
                    for c, v in zip(columns, values))


def _metadata(name: str) -> dict[bytes, bytes]:
    cols = {col: description(name, col) for col, _, _ in DATASETS[name]}
    meta = {
        "dataset": name,
        "primary_key": PRIMARY_KEYS[name],
        "partitioned_by": ",".join(PARTITION_BY.get(name, ())),
        "contract": f"CONTRACT.md v{CONTRACT_VERSION}",
        "column_descriptions": json.dumps(cols, ensure_ascii=False, sort_keys=True),
    }
    return {k.encode(): v.encode() for k, v in meta.items()}


class DatasetWriter:
    """Streams tables of the published schemas into ``out_dir/<dataset>/`` as content-defined
    files (``chunks.StreamWriter``): ``add(name, table, doc_id, key)`` takes one document's
    rows of a dataset (split here into its hive partitions) and returns, per partition,
    ``(partition folder, rows, weight)``; ``add_known`` takes a document of the previous
    run by those numbers, its rows read by ``load(name, token)`` only if needed."""

    def __init__(self, out_dir: Path, *, salt: bytes = b"", n_docs: int = 0,
                 previous=None, load=None, **options):
        self.out = Path(out_dir)
        self.prev, self._old = previous, {}        # manifest.Previous; per stream, the file read last
        self.schemas = {name: arrow_schema(name).with_metadata(_metadata(name)) for name in DATASETS}
        self._load = load
        self.streams = StreamWriter(self.out, self.schemas, salt, n_docs=n_docs,
                                    previous=previous.files if previous is not None else None,
                                    load=self._load_part, **options)
        self.rows = {name: 0 for name in DATASETS}

    def split(self, name: str, table: pa.Table) -> list[tuple[str, pa.Table]]:
        """The table's rows by partition folder, in order of first appearance."""
        cols = PARTITION_BY.get(name)
        if not cols:
            return [("", table)]
        values = list(zip(*(table.column(c).to_pylist() for c in cols)))
        if all(v == values[0] for v in values):
            return [(partition_dir(cols, values[0]), table)]
        groups: dict[tuple, list[int]] = {}
        for i, v in enumerate(values):
            groups.setdefault(v, []).append(i)
        return [(partition_dir(cols, v), table.take(pa.array(idx, pa.int64()))) for v, idx in groups.items()]

    def _load_part(self, name: str, sub: str, kh: str, token) -> pa.Table:
        """A known document's rows of one stream: from the previous file that held them,
        else from ``load`` (the per-document cache)."""
        loc = self.prev.locate(name, sub, kh) if self.prev is not None else None
        if loc is not None:
            path, start, n = loc
            old = self._old.get((name, sub))
            t = old[1] if old is not None and old[0] == path else None
            if t is None:
                try:
                    t = pq.ParquetFile(path).read()
                except (OSError, pa.ArrowException):  # gone or damaged: read the document
                    t = self.schemas[name].empty_table()
                self._old[(name, sub)] = (path, t)   # a stream's files are read in order
            if start + n <= t.num_rows:
                return t.slice(start, n).replace_schema_metadata(self.schemas[name].metadata)
        t = self._load(name, token).replace_schema_metadata(self.schemas[name].metadata)
        return next(p for s, p in self.split(name, t) if s == sub)

    def add(self, name: str, table: pa.Table, doc_id: str | None = None,
            key: bytes | None = None) -> list[tuple[str, int, int]]:
        if table.num_rows == 0:
            return []
        table = table.replace_schema_metadata(self.schemas[name].metadata)
        self.rows[name] += table.num_rows
        if doc_id is None:
            doc_id = table.column("doc_id")[0].as_py() or ""
        key = key if key is not None else doc_id.encode()
        out = []
        for sub, t in self.split(name, table):
            w = weight(name, t)
            self.streams.add(name, sub, doc_id, key, t.num_rows, w, table=t)
            out.append((sub, t.num_rows, w))
        return out

    def add_known(self, name: str, sub: str, doc_id: str, key: bytes, rows: int, w: int, token) -> None:
        self.rows[name] += rows
        self.streams.add(name, sub, doc_id, key, rows, w, token=token)

    def close_others(self, keep: str) -> None:
        """Start closing every dataset's files but ``keep``'s (``StreamWriter.close_others``)."""
        self.streams.close_others(keep)

    def close(self) -> dict[str, list[tuple]]:
        """Close every file, an empty one for an empty dataset, and write
        ``datapackage.json``; return each dataset's files as (path, digest, rows, documents'
        (key hash, rows)), sorted."""
        files = self.streams.close()
        for name in DATASETS:
            if not files.get(name):
                self.streams.empty(name)
        files = {name: sorted(files[name]) for name in DATASETS}
        (self.out / "datapackage.json").write_text(
            json.dumps(datapackage(files), ensure_ascii=False, indent=2) + "\n", "utf-8")
        return files


def to_table(name: str, rows: list[dict]) -> pa.Table:
    """Rows of one dataset as a table of its schema (values that do not fit: null)."""
    from .tables import _build
    return _build(name, rows, [])


def write_datasets(records: dict[str, list[dict]], out_dir: Path) -> None:
    """All records at once (small batches and tests); same files as a streamed run."""
    with atomic_output(Path(out_dir)) as tmp:
        w = DatasetWriter(tmp, n_docs=len(records.get("documents", [])))
        for name in DATASETS:
            t = to_table(name, records.get(name, []))
            by_doc: dict[str, list[int]] = {}
            for i, d in enumerate(t.column("doc_id").to_pylist()):
                by_doc.setdefault(d or "", []).append(i)
            for d, idx in by_doc.items():  # files end at document boundaries
                w.add(name, t.take(pa.array(idx, pa.int64())), d, d.encode())
        w.close()


_OURS = set(DATASETS) | {"datapackage.json", MANIFEST}


@contextlib.contextmanager
def atomic_output(out_dir: Path):
    """A fresh temporary folder beside ``out_dir``; on success it replaces ``out_dir``
    (entries of ``out_dir`` that are not datasets are carried over), on failure it is
    removed and ``out_dir`` is untouched."""
    out_dir = Path(out_dir).absolute()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.parent / f".{out_dir.name}.tmp-{os.getpid()}"
    old = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
    for stale in [tmp, old] + sorted(out_dir.parent.glob(f".{out_dir.name}.tmp-*")) \
            + sorted(out_dir.parent.glob(f".{out_dir.name}.old-*")):
        pid = stale.name.rsplit("-", 1)[-1]
        if stale.exists() and (stale in (tmp, old) or not (pid.isdigit() and _alive(int(pid)))):
            shutil.rmtree(stale, ignore_errors=True)  # left by a run that was killed
    tmp.mkdir()
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if out_dir.exists():
        for entry in out_dir.iterdir():
            if entry.name not in _OURS:
                os.replace(entry, tmp / entry.name)
        os.replace(out_dir, old)
    os.replace(tmp, out_dir)
    shutil.rmtree(old, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _frictionless_type(t: pa.DataType) -> dict:
    if pa.types.is_string(t):
        return {"type": "string"}
    if pa.types.is_binary(t):
        return {"type": "string", "format": "binary"}
    if pa.types.is_boolean(t):
        return {"type": "boolean"}
    if pa.types.is_integer(t):
        return {"type": "integer"}
    if pa.types.is_floating(t):
        return {"type": "number"}
    if pa.types.is_decimal(t):
        return {"type": "number", "bareNumber": True,
                "decimal": {"precision": t.precision, "scale": t.scale}}
    if pa.types.is_date32(t):
        return {"type": "date"}
    if pa.types.is_list(t):
        return {"type": "array"}
    return {"type": "any"}


def datapackage(files: dict[str, list[tuple]] | None = None) -> dict:
    """The data dictionary; with the files of a run, each resource lists its files
    (``path``) and, per file, the digest of its inputs and its rows (``files``: a file
    whose digest is unchanged since the previous run was kept, not rewritten)."""
    resources = []
    for name, cols in DATASETS.items():
        fields = []
        for col, typ, _ in cols:
            f = {"name": col, "description": description(name, col)}
            f.update(_frictionless_type(typ))
            fields.append(f)
        listed = (files or {}).get(name) or [(f"{name}/{part_name(0)}", None, 0, ())]
        paths = [f[0] for f in listed]
        res = {
            "name": name,
            "path": paths if len(paths) > 1 else paths[0],
            "format": "parquet",
            "mediatype": "application/vnd.apache.parquet",
            "schema": {"fields": fields, "primaryKey": PRIMARY_KEYS[name]},
        }
        if PARTITION_BY.get(name):
            res["partitioned_by"] = list(PARTITION_BY[name])
        if files:
            res["files"] = [{"path": p, "inputs_digest": d, "rows": n} for p, d, n, _ in listed]
        resources.append(res)
    return {
        "name": "budget-performance",
        "title": "Chinese budget-performance documents as data",
        "description": "Forms (绩效自评表, 绩效目标表, 基础数据表) and self-evaluation reports "
                       "extracted with character-level provenance. See CONTRACT.md.",
        "profile": "data-package",
        "resources": resources,
    }
