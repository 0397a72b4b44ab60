"""Write the datasets as Parquet: streamed, bounded, partitioned, atomic, deterministic.

``DatasetWriter.add(name, table)`` buffers a document's rows and writes a row group
whenever ``row_group_rows`` rows or ``row_group_bytes`` bytes are buffered for one
partition, and whenever all partitions together buffer more than ``buffer_bytes`` (then
the partition holding the most is written out), so memory does not grow with the corpus:
without the overall budget a run with many partitions (a fiscal year and province each)
would keep every small partition's rows until the end.  A file is closed and the next one
(``part-00001.parquet``…) started after ``file_rows`` rows or ``file_bytes`` bytes (sized
for DuckDB: 100k–1M-row groups, files of hundreds of MB).  Datasets of
``schema.PARTITION_BY`` are hive-partitioned by those columns (``fiscal_year=2023/province=…/``,
``__HIVE_DEFAULT_PARTITION__`` when unknown); the column is also kept inside the files, so a file
read on its own is complete.  Every dataset is readable as
``read_parquet('<out>/<dataset>/**/*.parquet')``.

Deterministic: the same rows in the same order give byte-identical files (no timestamps;
row-group and file boundaries depend only on the rows).

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

from .schema import DATASETS, PARTITION_BY, PRIMARY_KEYS, arrow_schema, description

ROW_GROUP_ROWS = 131_072      # DuckDB's own row groups are 122,880 rows
ROW_GROUP_BYTES = 8 * 2**20   # per dataset and partition
BUFFER_BYTES = 16 * 2**20     # all partitions together: the parent's memory bound
COMPACT_TABLES = 128          # per partition
BUFFER_TABLES = 256           # all partitions together (see DatasetWriter._within_budget)
FILE_ROWS = 8_388_608
FILE_BYTES = 1 * 2**30
CONTRACT_VERSION = "1"


def part_name(n: int) -> str:
    return f"part-{n:05d}.parquet"


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


class _Totals:
    """What all partitions of a writer buffer together, kept up to date by each partition
    (summing over every partition after each document's table cost O(partitions))."""
    __slots__ = ("bytes", "loose")

    def __init__(self):
        self.bytes = self.loose = 0


class _Partition:
    def __init__(self, folder: Path, schema: pa.Schema, limits, totals: _Totals | None = None):
        self.folder, self.schema = folder, schema
        self.totals = totals if totals is not None else _Totals()
        self.rg_rows, self.rg_bytes, self.file_rows, self.file_bytes = limits
        self.buf: list[pa.Table] = []
        self.n_done = 0            # leading tables of buf that are compacted copies
        self.buf_rows = self.buf_bytes = 0
        self.writer: pq.ParquetWriter | None = None
        self.n_file = 0
        self.f_rows = self.f_bytes = 0
        self.files: list[Path] = []

    def add(self, t: pa.Table) -> None:
        self.buf.append(t)
        self.buf_rows += t.num_rows
        nb = t.nbytes
        self.buf_bytes += nb
        self.totals.bytes += nb
        self.totals.loose += 1
        if self.buf_rows >= self.rg_rows or self.buf_bytes >= self.rg_bytes:
            self.flush(final=False)
        elif self.loose() >= COMPACT_TABLES:
            self.compact()

    def loose(self) -> int:
        """The per-document tables buffered since the last compaction."""
        return len(self.buf) - self.n_done

    def compact(self) -> None:
        """Many small per-document tables cost far more than their rows (each array's C++
        objects, the whole packet a worker's result arrived in): copy them into one, so
        memory is the rows' bytes, not the documents'.  Earlier copies are kept as they
        are and merged only with one at least as large (a binary counter: a row is copied
        O(log n) times, not once per compaction; a few copies at most)."""
        before = (self.buf_bytes, self.loose())
        done = self.buf[:self.n_done] + [pa.concat_tables(self.buf[self.n_done:]).combine_chunks()]
        while len(done) > 1 and done[-2].num_rows <= done[-1].num_rows:
            done[-2:] = [pa.concat_tables(done[-2:]).combine_chunks()]
        self.buf, self.n_done = done, len(done)
        self.buf_bytes = sum(t.nbytes for t in done)
        self._moved(before)

    def _moved(self, before: tuple[int, int]) -> None:
        self.totals.bytes += self.buf_bytes - before[0]
        self.totals.loose += self.loose() - before[1]

    def flush(self, final: bool = True) -> None:
        """Write full row groups of ``rg_rows`` rows (all that is buffered when ``final``
        or when the bytes limit was reached first); keep the rest buffered."""
        if not self.buf:
            return
        before = (self.buf_bytes, self.loose())
        t = pa.concat_tables(self.buf)
        n = t.num_rows
        keep = 0 if final or self.buf_bytes >= self.rg_bytes else n % self.rg_rows
        self.buf = [t.slice(n - keep)] if keep else []
        self.n_done = 0  # the rest may still hold per-document tables' buffers
        self.buf_rows = keep
        self.buf_bytes = self.buf[0].nbytes if keep else 0
        self._moved(before)
        t = t.slice(0, n - keep)
        for start in range(0, t.num_rows, self.rg_rows):
            self._write_group(t.slice(start, self.rg_rows))
        del t
        pa.default_memory_pool().release_unused()  # give the freed buffers back to the OS

    def _write_group(self, t: pa.Table) -> None:
        if self.writer is not None and (self.f_rows + t.num_rows > self.file_rows
                                        or self.f_bytes + t.nbytes > self.file_bytes):
            self._close_file()
        if self.writer is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.folder / part_name(self.n_file)
            self.files.append(path)
            self.writer = pq.ParquetWriter(path, self.schema, compression="zstd",
                                           write_statistics=True)
        self.writer.write_table(t, row_group_size=max(t.num_rows, 1))
        self.f_rows += t.num_rows
        self.f_bytes += t.nbytes

    def _close_file(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None
            self.n_file += 1
            self.f_rows = self.f_bytes = 0

    def close(self) -> None:
        self.flush()
        self._close_file()


class DatasetWriter:
    """Streams tables of the published schemas into ``out_dir/<dataset>/``."""

    def __init__(self, out_dir: Path, row_group_rows: int = ROW_GROUP_ROWS,
                 row_group_bytes: int = ROW_GROUP_BYTES, file_rows: int = FILE_ROWS,
                 file_bytes: int = FILE_BYTES, buffer_bytes: int = BUFFER_BYTES):
        self.out = Path(out_dir)
        self.limits = (row_group_rows, row_group_bytes, file_rows, file_bytes)
        self.buffer_bytes = buffer_bytes
        self.schemas = {name: arrow_schema(name).with_metadata(_metadata(name)) for name in DATASETS}
        self.parts: dict[tuple[str, str], _Partition] = {}
        self.totals = _Totals()
        self.rows = {name: 0 for name in DATASETS}

    def _part(self, name: str, sub: str) -> _Partition:
        key = (name, sub)
        p = self.parts.get(key)
        if p is None:
            folder = self.out / name / sub if sub else self.out / name
            p = self.parts[key] = _Partition(folder, self.schemas[name], self.limits, self.totals)
        return p

    def add(self, name: str, table: pa.Table) -> None:
        if table.num_rows == 0:
            return
        table = table.replace_schema_metadata(self.schemas[name].metadata)
        self.rows[name] += table.num_rows
        cols = PARTITION_BY.get(name)
        if not cols:
            self._part(name, "").add(table)
        else:
            values = list(zip(*(table.column(c).to_pylist() for c in cols)))
            if all(v == values[0] for v in values):
                self._part(name, partition_dir(cols, values[0])).add(table)
            else:
                groups: dict[tuple, list[int]] = {}
                for i, v in enumerate(values):
                    groups.setdefault(v, []).append(i)
                for v, idx in groups.items():
                    self._part(name, partition_dir(cols, v)).add(table.take(pa.array(idx, pa.int64())))
        self._within_budget()

    def _within_budget(self) -> None:
        """Write out the partitions holding the most bytes until all of them together
        buffer at most ``buffer_bytes``, and compact the partitions holding the most
        tables until all together hold at most ``BUFFER_TABLES`` (a partition that gets a
        table every few hundred documents would otherwise keep up to ``COMPACT_TABLES``
        of them, per partition).  The first created wins a tie: depends only on the rows."""
        parts, totals = self.parts.values(), self.totals
        while totals.bytes > self.buffer_bytes:
            max(parts, key=lambda p: p.buf_bytes).flush()
        while totals.loose > BUFFER_TABLES:
            max(parts, key=lambda p: p.loose()).compact()

    def close(self) -> dict[str, list[str]]:
        """Write what is buffered, an empty file for an empty dataset, and
        ``datapackage.json``; return each dataset's files (relative, sorted)."""
        for p in self.parts.values():
            p.close()
        files: dict[str, list[str]] = {name: [] for name in DATASETS}
        for (name, _), p in self.parts.items():
            files[name] += [f.relative_to(self.out).as_posix() for f in p.files]
        for name in DATASETS:
            if not files[name]:
                d = self.out / name
                d.mkdir(parents=True, exist_ok=True)
                pq.write_table(self.schemas[name].empty_table(), d / part_name(0), compression="zstd")
                files[name] = [f"{name}/{part_name(0)}"]
            files[name].sort()
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
        w = DatasetWriter(tmp)
        for name in DATASETS:
            w.add(name, to_table(name, records.get(name, [])))
        w.close()


_OURS = set(DATASETS) | {"datapackage.json"}


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


def datapackage(files: dict[str, list[str]] | None = None) -> dict:
    resources = []
    for name, cols in DATASETS.items():
        fields = []
        for col, typ, _ in cols:
            f = {"name": col, "description": description(name, col)}
            f.update(_frictionless_type(typ))
            fields.append(f)
        paths = (files or {}).get(name) or [f"{name}/{part_name(0)}"]
        res = {
            "name": name,
            "path": paths if len(paths) > 1 else paths[0],
            "format": "parquet",
            "mediatype": "application/vnd.apache.parquet",
            "schema": {"fields": fields, "primaryKey": PRIMARY_KEYS[name]},
        }
        if PARTITION_BY.get(name):
            res["partitioned_by"] = list(PARTITION_BY[name])
        resources.append(res)
    return {
        "name": "budget-performance",
        "title": "Chinese budget-performance documents as data",
        "description": "Forms (绩效自评表, 绩效目标表, 基础数据表) and self-evaluation reports "
                       "extracted with character-level provenance. See CONTRACT.md.",
        "profile": "data-package",
        "resources": resources,
    }
