"""Per-document cache: a document's validated tables stored under its content hash.

``<cache_dir>/<fingerprint>/<sha[:2]>/<sha>.arrows`` holds the tables ``process_file`` +
``to_tables`` made from a file whose SHA-256 is ``sha``.  The fingerprint is a hash of
every source and vocabulary file the records depend on (``normalizers/``,
``extractors/``, and ``pipeline``'s per-document path: process, checks, tables, schema)
and of the versions of the libraries that read the formats, so a change of code or of a
YAML vocabulary starts a fresh cache folder and nothing stale is ever reused; a rerun
re-processes only new or changed documents.  Records do not depend on the file's name
(``source_path`` is set when the tables are merged), so a renamed or copied file is a hit.

Any fsspec URL works as ``cache_dir`` (``s3://bucket/interim``) for the distributed run.
Entries are written to a temporary name and renamed, so a killed run leaves no half entry;
an unreadable entry is treated as a miss.  Old fingerprint folders can be deleted at any
time (``rm -r data/interim``).
"""
from __future__ import annotations

import hashlib
import io
import os
from importlib import metadata
from pathlib import Path

import pyarrow as pa

ROOT = Path(__file__).resolve().parents[1]
_PIPELINE_FILES = ("process.py", "checks.py", "checks", "tables.py", "schema.py", "cache.py")
_LIBRARIES = ("pyarrow", "pdfplumber", "pdfminer.six", "pypdfium2", "python-docx", "openpyxl",
              "xlrd", "lxml", "spacy", "jieba", "opencc", "rapidfuzz", "cn2an", "charset-normalizer",
              "chardet")
FORMAT = b"doc-tables-1"


def code_files() -> list[Path]:
    files = []
    tops = [ROOT / "normalizers", ROOT / "extractors"] + [ROOT / "pipeline" / f for f in _PIPELINE_FILES]
    for top in tops:
        if top.is_file():
            files.append(top)
        elif top.is_dir():
            files += [p for p in sorted(top.rglob("*")) if p.is_file() and "__pycache__" not in p.parts
                      and p.suffix in (".py", ".yaml", ".yml", ".json", ".txt", ".tsv")]
    return files


def fingerprint() -> str:
    """16 hex digits naming the code, vocabularies and library versions."""
    h = hashlib.sha256(FORMAT)
    for p in code_files():
        h.update(p.relative_to(ROOT).as_posix().encode() + b"\0")
        h.update(p.read_bytes() + b"\0")
    for lib in _LIBRARIES:
        try:
            v = metadata.version(lib)
        except metadata.PackageNotFoundError:
            v = "-"
        h.update(f"{lib}={v}\0".encode())
    return h.hexdigest()[:16]


def dumps(tables: dict[str, pa.Table]) -> bytes:
    """The tables of one document as bytes: per dataset an Arrow IPC stream, framed."""
    out = io.BytesIO()
    out.write(FORMAT + b"\n")
    for name, t in tables.items():
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, t.schema) as w:
            w.write_table(t)
        buf = sink.getvalue()
        head = name.encode()
        out.write(len(head).to_bytes(2, "little") + head + buf.size.to_bytes(8, "little"))
        out.write(memoryview(buf))
    return out.getvalue()


def loads(data: bytes) -> dict[str, pa.Table]:
    if not data.startswith(FORMAT + b"\n"):
        raise ValueError("not a cache entry")
    pos = len(FORMAT) + 1
    tables = {}
    mv = memoryview(data)
    while pos < len(data):
        n = int.from_bytes(data[pos:pos + 2], "little")
        name = data[pos + 2:pos + 2 + n].decode()
        pos += 2 + n
        size = int.from_bytes(data[pos:pos + 8], "little")
        pos += 8
        tables[name] = pa.ipc.open_stream(pa.py_buffer(mv[pos:pos + size])).read_all()
        pos += size
    return tables


class Cache:
    """The cache folder of one fingerprint."""

    def __init__(self, cache_dir: str | os.PathLike, fp: str | None = None):
        self.url = os.fspath(cache_dir)
        self.fp = fp or fingerprint()
        if "://" in self.url and not self.url.startswith("file://"):
            import fsspec
            self.fs, root = fsspec.core.url_to_fs(self.url)
            self.local = False
        else:  # a local folder: plain os calls, no fsspec import
            self.fs, root = None, os.path.abspath(self.url.removeprefix("file://"))
            self.local = True
        self.root = f"{root.rstrip('/')}/{self.fp}"

    def _path(self, sha: str) -> str:
        return f"{self.root}/{sha[:2]}/{sha}.arrows"

    def exists(self, sha: str) -> bool:
        try:
            return os.path.exists(self._path(sha)) if self.local else self.fs.exists(self._path(sha))
        except Exception:
            return False

    def get(self, sha: str) -> dict[str, pa.Table] | None:
        try:
            if self.local:
                with open(self._path(sha), "rb") as f:
                    data = f.read()
            else:
                data = self.fs.cat_file(self._path(sha))
            return loads(data)
        except Exception:  # missing or unreadable: a miss
            return None

    def put(self, sha: str, tables: dict[str, pa.Table]) -> None:
        data = dumps(tables)
        path = self._path(sha)
        try:
            if self.local:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                tmp = f"{path}.{os.getpid()}.tmp"
                with open(tmp, "wb") as f:
                    f.write(data)
                os.replace(tmp, path)
            else:
                self.fs.pipe_file(path, data)
        except OSError:  # a full or read-only disk costs speed, never the run
            pass

    def __reduce__(self):
        return (Cache, (self.url, self.fp))
