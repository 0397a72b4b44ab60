"""Content-defined Parquet files: each file holds whole documents, ends where the
documents say, and is either reused from the previous run or written again.

Every dataset and hive partition (``writer.py``) is one *stream*: the rows of the
documents, in input order, that fall into it.  A stream is cut into files at document
boundaries by a rule that looks only at the documents themselves:

    a file ends after document d when  hash(d.doc_id) < w(d) / T   (once it holds ≥ T/4,
    and always once it holds ≥ 4·T)

where ``w(d)`` is the document's *weight* in that stream (its rows × the dataset's bytes
per row, ``ROW_WEIGHT``; a documents row adds the bytes of its text) and ``T`` the target
weight of a file.  Inserting, changing or deleting one document therefore changes only
the file it falls into (and, rarely, the next one, until the cuts resynchronise); every
other file holds exactly the documents it held before.  ``T`` grows with the batch,
``clamp(2^⌈log2(N · DOC_WEIGHT / FILES_PER_DATASET)⌉, MIN_TARGET, MAX_TARGET)`` for N
input entries: up to about 32 files per dataset (fewer for a light dataset or a small
batch: no file is aimed under 1 MiB), 1 MiB to 64 MiB of Arrow data each (about 0.2-15 MB
of Parquet: 100k documents give ~15-20 files of blocks, not thousands); every stream is
cut anew (rewritten once) only when ``T`` changes, i.e. when N crosses a power of two.  Row groups are cut by the same
kind of rule inside a file: after the document that brings a group to ``ROW_GROUP_ROWS``
rows or ``ROW_GROUP_WEIGHT``.  A file's bytes are thus a function of the documents it
holds and nothing else (not the worker count, the batch's other partitions, or the
memory budget), which is what lets an incremental run give the same bytes as a full one.

Each file has a digest of its inputs: the writer's ``salt`` (code fingerprint, writer
settings, ``T``), the dataset and partition, and the ordered keys of its documents (the
per-document cache key; for documents rows also the merged attributes, see run.Merger).
A file whose digest names a file of the previous output is hard-linked from it
(``os.link``; copied where links are not possible): same inode, size and mtime.  A
document whose rows are not in memory (known from the previous run's manifest) is read
(``load``) only when a file it belongs to has to be written, and then from the previous
file that held it (its row range, from the manifest), the per-document cache only when
its row changed (a documents row whose path or ``same_content_as`` is new).

Memory: per open file only its current row group is buffered; when all of them together
pass ``BUFFER_WEIGHT`` the largest is spilled to an Arrow stream on disk and read back
when its row group is written (spilling never changes the bytes written).
"""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

# bytes of Arrow data per row (medians of the dev corpus), the weight of a row
ROW_WEIGHT = {"documents": 512, "sections": 530, "blocks": 210, "indicators": 690, "funds": 320,
              "goals": 290, "facts": 190, "mentions": 420, "checks": 490}
DOC_WEIGHT = 16 * 1024          # a typical document's weight in all datasets together
FILES_PER_DATASET = 32
MIN_TARGET = 1 << 20
MAX_TARGET = 64 << 20
ROW_GROUP_ROWS = 131_072        # DuckDB's own row groups are 122,880 rows
ROW_GROUP_WEIGHT = 2 << 20      # larger groups raised the parent's peak (10,000 docs: 332 MiB at 8 MiB, 274 at 2)
BUFFER_WEIGHT = 4 << 20         # all open row groups together: the merging process's bound
# (16 MiB let the buffers grow with the batch: 5 MiB of Arrow data at 1,000 documents, 16 at 10,000)
COMPACT_TABLES = 128           # per open file
BUFFER_TABLES = 256            # all open files together (see StreamWriter._within_budget)


def part_name(n: int) -> str:
    return f"part-{n:05d}.parquet"


def target_weight(n_docs: int) -> int:
    want = max(1, n_docs) * DOC_WEIGHT // FILES_PER_DATASET
    return min(MAX_TARGET, max(MIN_TARGET, 1 << max(0, want - 1).bit_length()))


def weight(name: str, t: pa.Table) -> int:
    """A document's weight in a stream: a function of its values only (the same for the
    tables a worker made and for the same tables read back from the cache)."""
    w = t.num_rows * ROW_WEIGHT.get(name, 256)
    if name == "documents" and t.num_rows:
        w += pc.sum(pc.binary_length(t.column("text"))).as_py() or 0
    return w


def _fraction_below(doc_id: str, w: int, target: int) -> bool:
    h = int.from_bytes(hashlib.blake2b(doc_id.encode(), digest_size=8).digest(), "big")
    return h * target < w << 64


ITEM = 24  # bytes of a file's item: the document's 16-byte key hash, its rows (8, little-endian)


def items_text(items: bytes) -> str:
    """A file's items as the manifest writes them: "key hash:rows", space-separated (kept
    as bytes while the run lasts: ~24 bytes a document and stream, not ~90 as strings)."""
    return " ".join(f"{items[i:i + 16].hex()}:{int.from_bytes(items[i + 16:i + ITEM], 'little')}"
                    for i in range(0, len(items), ITEM))


def link_or_copy(src: str, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


class _File:
    """One file of a stream while it is open."""

    def __init__(self, path: Path, rel: str, head: bytes):
        self.path, self.rel = path, rel
        self.h = hashlib.blake2b(head, digest_size=16)
        self.weight = self.rows = 0
        self.pending: list = []          # (key hash, token, rows, weight) of documents not loaded
        self.items = bytearray()         # every document's key hash and rows, in order (ITEM bytes each)
        self.dirty = False
        self.pw: pq.ParquetWriter | None = None
        self.buf: list[pa.Table] = []
        self.packed = 0                  # leading tables of buf that are compacted ones
        self.mem = 0                     # weight held in buf (the budget's measure)
        self.g_rows = self.g_weight = 0  # of the current row group (the cut rule's)
        self.spill = None                # (path, sink, ipc writer) of a spilled row group part


class StreamWriter:
    """Writes streams of documents into content-defined files under ``out``.

    ``add(name, sub, doc_id, key, rows, w, table=...)`` takes a document's rows of one
    stream (``sub`` is the partition folder, '' for none); ``table=None`` with a ``token``
    for a document whose rows are not in memory: ``load(name, sub, key hash, token)``
    gives them when needed.  ``previous`` maps a file digest to the path of a file of the earlier
    output holding exactly those inputs."""

    def __init__(self, out: Path, schemas: dict, salt: bytes, *, n_docs: int = 0,
                 previous: dict[str, str] | None = None, load=None, file_weight: int | None = None,
                 row_group_rows: int = ROW_GROUP_ROWS, row_group_weight: int = ROW_GROUP_WEIGHT,
                 buffer_weight: int = BUFFER_WEIGHT):
        self.out, self.schemas, self.load = Path(out), schemas, load
        self.previous = previous or {}
        self.target = file_weight or target_weight(n_docs)
        self.rg_rows, self.rg_weight, self.budget = row_group_rows, row_group_weight, buffer_weight
        self.salt = hashlib.blake2b(salt + b"\0%d\0%d\0%d" % (self.target, row_group_rows,
                                                             row_group_weight)).digest()
        self.open: dict[tuple[str, str], _File] = {}
        self.n_files: dict[tuple[str, str], int] = {}
        self.files: dict[str, list[tuple]] = {}   # dataset -> (rel, digest, rows, items bytes)
        self.mem = 0                     # weight buffered in all open files
        self.n_tables = 0                # per-document tables buffered in all open files
        self.tables_limit = BUFFER_TABLES
        self.n_spill = 0
        self.linked = self.written = 0
        self._closing = None             # (thread pool, futures) of files being finished

    # ------------------------------------------------------------ streams
    def add(self, name: str, sub: str, doc_id: str, key: bytes, rows: int, w: int,
            table: pa.Table | None = None, token=None) -> None:
        f = self.open.get((name, sub))
        if f is None:
            f = self._new_file(name, sub)
        kd = hashlib.blake2b(key, digest_size=16).digest()
        kh = kd.hex()
        f.h.update(kh.encode())
        f.items += kd + rows.to_bytes(8, "little")
        if table is not None and not f.dirty:
            self._make_dirty(name, sub, f)
        if table is not None:
            self._feed(name, f, table, rows, w)
        elif f.dirty:
            self._feed(name, f, self.load(name, sub, kh, token), rows, w)
        else:
            f.pending.append((kh, token, rows, w))
        f.weight += w
        f.rows += rows
        if f.weight >= 4 * self.target or (f.weight >= self.target // 4
                                          and _fraction_below(doc_id, w, self.target)):
            self._close_file(name, sub, f)
        self._within_budget()

    def _new_file(self, name: str, sub: str) -> _File:
        n = self.n_files.get((name, sub), 0)
        self.n_files[(name, sub)] = n + 1
        rel = f"{name}/{sub}/{part_name(n)}" if sub else f"{name}/{part_name(n)}"
        f = self.open[(name, sub)] = _File(self.out / rel, rel,
                                            self.salt + f"\0{name}\0{sub}\0".encode())
        return f

    def _make_dirty(self, name: str, sub: str, f: _File) -> None:
        f.dirty = True
        pending, f.pending = f.pending, []
        for kh, token, rows, w in pending:
            self._feed(name, f, self.load(name, sub, kh, token), rows, w)

    def _feed(self, name: str, f: _File, t: pa.Table, rows: int, w: int) -> None:
        f.buf.append(t)
        self.n_tables += 1
        f.mem += w
        self.mem += w
        f.g_rows += rows
        f.g_weight += w
        if f.g_rows >= self.rg_rows or f.g_weight >= self.rg_weight:
            self._write_group(name, f)
        elif len(f.buf) - f.packed >= COMPACT_TABLES:
            self._compact(f, f.packed)

    def _compact(self, f: _File, start: int = 0) -> None:
        """Many small per-document tables cost far more than their rows (each array's C++
        objects, the whole packet a worker's result arrived in): copy them into one.  The
        bytes written do not change (a row group is combined before it is written).
        Only the tables from ``start`` are copied: those before it are compacted already
        (copying them again made a row group's compactions quadratic in its documents)."""
        tail = f.buf[start:]
        self.n_tables -= len(tail) - 1
        f.buf[start:] = [pa.concat_tables(tail).combine_chunks()]
        f.packed = start + 1

    def _write_group(self, name: str, f: _File) -> None:
        self._write_table(name, f, self._group_table(f))
        self.mem -= f.mem
        self.n_tables -= len(f.buf)
        f.buf, f.mem, f.g_rows, f.g_weight, f.packed = [], 0, 0, 0, 0
        pa.default_memory_pool().release_unused()

    @staticmethod
    def _group_table(f: _File) -> pa.Table | None:
        """The row group a file's buffer (and its spilled part) makes: Arrow work on the
        file's own tables only (the final groups of a run are made in threads)."""
        parts = []
        if f.spill is not None:
            path, sink, w = f.spill
            w.close()
            sink.close()
            with pa.OSFile(path, "rb") as src:
                parts.append(pa.ipc.open_stream(src).read_all())
            os.unlink(path)
            f.spill = None
        parts += f.buf
        if not parts:
            return None
        return pa.concat_tables(parts).combine_chunks()  # page cuts must not depend on chunks

    def _write_table(self, name: str, f: _File, t: pa.Table | None) -> None:
        if t is not None:
            if f.pw is None:
                f.path.parent.mkdir(parents=True, exist_ok=True)
                f.pw = pq.ParquetWriter(f.path, self.schemas[name], compression="zstd",
                                        write_statistics=True)
            f.pw.write_table(t, row_group_size=max(t.num_rows, 1))

    def _within_budget(self) -> None:
        """All open files together buffer at most ``budget`` of weight (the largest
        buffer is spilled to disk) and ``BUFFER_TABLES`` per-document tables (the file
        holding the most is compacted: a file that gets a document every few hundred
        would otherwise keep up to ``COMPACT_TABLES`` of them, each open file)."""
        if self.n_tables > self.tables_limit:
            while self.n_tables > BUFFER_TABLES:
                f = max(self.open.values(), key=lambda f: len(f.buf))
                if len(f.buf) <= 1:
                    break
                self._compact(f)
            # more open files than BUFFER_TABLES hold one table each: look again only after
            # another half budget of tables (not a scan of every open file per document)
            self.tables_limit = max(BUFFER_TABLES, self.n_tables + BUFFER_TABLES // 2)
        while self.mem > self.budget:
            f = max(self.open.values(), key=lambda f: f.mem)
            if not f.buf:
                break
            if f.spill is None:
                self.out.mkdir(parents=True, exist_ok=True)
                path = str(self.out / f".spill-{self.n_spill}.arrows")
                self.n_spill += 1
                sink = pa.OSFile(path, "wb")
                f.spill = (path, sink, pa.ipc.new_stream(sink, f.buf[0].schema))
            for t in f.buf:
                f.spill[2].write_table(t)
            self.mem -= f.mem
            self.n_tables -= len(f.buf)
            f.buf, f.mem, f.packed = [], 0, 0

    def _close_file(self, name: str, sub: str, f: _File, jobs: list | None = None) -> None:
        """Close ``f``: linked from the previous output, or its last row group written and
        the file finished -- at once, or, with ``jobs``, by a function appended there."""
        del self.open[(name, sub)]
        digest = f.h.hexdigest()
        old = None if f.dirty else self.previous.get(digest)
        if old is not None and os.path.exists(old):
            f.path.parent.mkdir(parents=True, exist_ok=True)
            link_or_copy(old, f.path)
            self.linked += 1
        else:
            if not f.dirty:
                self._make_dirty(name, sub, f)
            self.mem -= f.mem
            self.n_tables -= len(f.buf)

            def finish(name=name, f=f) -> None:
                self._write_table(name, f, self._group_table(f))
                f.buf = []
                if f.pw is None:  # a stream with no rows: an empty file of the schema
                    f.path.parent.mkdir(parents=True, exist_ok=True)
                    pq.write_table(self.schemas[name].empty_table(), f.path, compression="zstd")
                else:
                    f.pw.close()
            if jobs is None:
                finish()
                pa.default_memory_pool().release_unused()
            else:
                jobs.append(finish)
            self.written += 1
        self.files.setdefault(name, []).append((f.rel, digest, f.rows, bytes(f.items)))

    def empty(self, name: str) -> None:
        """An empty file for a dataset without rows (readable, with its schema)."""
        self._close_file(name, "", self._new_file(name, ""))

    def close_others(self, keep: str) -> None:
        """Close every open file but those of dataset ``keep``, their last row groups
        written in threads while this thread goes on (the merge's end writes the documents
        rows meanwhile); ``close`` waits for them."""
        self._close_open(lambda name: name != keep)

    def _close_open(self, which) -> None:
        jobs: list = []
        for (name, sub), f in sorted(self.open.items()):
            if which(name):
                self._close_file(name, sub, f, jobs)
        if jobs:
            if self._closing is None:
                from concurrent.futures import ThreadPoolExecutor
                self._closing = (ThreadPoolExecutor(max_workers=min(os.cpu_count() or 1, 4)), [])
            self._closing[1].extend(self._closing[0].submit(j) for j in jobs)

    def close(self) -> dict[str, list[tuple]]:
        """Close every open file.  Their last row groups are built, compressed and written
        in threads (Arrow releases the GIL): the run's tail, when the workers are done
        and the cores idle; each file is its own writer, so the bytes are the same."""
        self._close_open(lambda name: True)
        if self._closing is not None:
            ex, futures = self._closing
            self._closing = None
            try:
                for fut in futures:
                    fut.result()  # the first failure is raised
            finally:
                ex.shutdown(wait=True)
            pa.default_memory_pool().release_unused()
        return self.files
