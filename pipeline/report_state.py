"""What the last ``report`` run was made from, kept in ``{out}/.state.json``: plain Python
(no pyarrow), so that a run on an unchanged folder only lists and stats files.

Per Parquet file: its signature (size, mtime_ns, inode), a digest of its bytes, and per
``doc_id`` it holds a digest of that document's rows in it, the row count and what the
index page needs (``report_digest``).  Per page: the digest it was rendered for and its
own signature after writing (a page edited or deleted by hand is rendered again).

The per-file ``inputs_digest`` of ``datapackage.json`` is not used for the bytes' digest: it
names what a file was written from, and a file replaced by other means keeps it; hashing
the bytes of a file whose signature changed costs ~2 ms/MB, and with the extract stage's
hard-linked output only new files have a new signature.

A state that is missing, damaged (a checksum of its bytes heads it), of another version or
of other rendering code is ``None``: the caller then reads and renders everything, never
trusts an old page.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

STATE_NAME = ".state.json"
VERSION = 2
DATASETS = ("documents", "sections", "blocks", "indicators", "funds", "goals", "facts",
            "mentions", "checks")
# what a page is made from besides its rows: the code that renders it (and reads the rows)
RENDER_FILES = ("report.py", "report_html.py", "report_page.py", "report_spans.py", "report_tables.py",
                "report_index.py", "report_digest.py", "report_state.py", "_source.py", "schema.py")


def signature(path: str | Path) -> list[int]:
    st = os.stat(path)
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def scan(parquet_dir: Path) -> dict[str, tuple[str, list[int]]]:
    """relative path -> (dataset, signature) of every ``*.parquet`` under a dataset folder."""
    out: dict[str, tuple[str, list[int]]] = {}
    for name in DATASETS:
        top = parquet_dir / name
        for root, dirs, files in os.walk(top):
            dirs.sort()
            for f in sorted(files):
                if f.endswith(".parquet"):
                    p = os.path.join(root, f)
                    out[Path(os.path.relpath(p, parquet_dir)).as_posix()] = (name, signature(p))
    return out


# A file changed again within the file system's timestamp granularity, with the same size
# and inode, would keep its signature ("racy git"): a signature taken less than this long
# after the file's mtime is stored without its mtime, so the next run checks the bytes.
RACY_NS = 2_000_000_000


def settle(files: dict[str, dict], scanned_ns: int) -> None:
    for e in files.values():
        size, mtime, ino = e["sig"]
        if mtime > scanned_ns - RACY_NS:
            e["sig"] = [size, -1, ino]


def file_digest(path: Path) -> str:
    h = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _pyarrow_version() -> bytes:
    """The installed pyarrow's version file, found on sys.path without importing pyarrow
    (0.2 s) or importlib.util (10 ms)."""
    for loc in sys.path:
        try:
            return (Path(loc or ".") / "pyarrow" / "_generated_version.py").read_bytes()
        except OSError:
            pass
    import pyarrow
    return pyarrow.__version__.encode()


def code_digest() -> str:
    h = hashlib.blake2b(digest_size=16)
    here = Path(__file__).parent
    for name in RENDER_FILES:
        h.update(name.encode() + b"\0" + (here / name).read_bytes() + b"\0")
    h.update(_pyarrow_version())
    return h.hexdigest()


def load(out_dir: Path, code: str) -> dict | None:
    """The state, or None: missing, damaged (its checksum, the first line, differs), of
    another version or of other rendering code."""
    try:
        raw = (out_dir / STATE_NAME).read_bytes()
        check, body = raw.split(b"\n", 1)
        if check.decode("ascii") != hashlib.blake2b(body, digest_size=16).hexdigest():
            return None
        state = json.loads(body)
    except (OSError, ValueError):
        return None
    ok = isinstance(state, dict) and state.get("version") == VERSION and state.get("code") == code
    return state if ok else None


def save(out_dir: Path, state: dict) -> None:
    body = json.dumps(state, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    body = body.encode("utf-8", "surrogatepass")   # (a lone surrogate: unreadable next time, a full run)
    tmp = out_dir / (STATE_NAME + ".tmp")
    tmp.write_bytes(hashlib.blake2b(body, digest_size=16).hexdigest().encode() + b"\n" + body)
    os.replace(tmp, out_dir / STATE_NAME)


def page_digests(code: str, files: dict[str, dict], docs: set[str] | None = None) -> dict[str, str]:
    """doc_id -> digest of the code and of its rows' digests in every file (by dataset; not
    by file: rows that only moved to another file of the dataset make the same page); for
    ``docs`` only when given."""
    parts: dict[str, list[str]] = {}
    for e in files.values():
        ds = e["dataset"]
        for d, dig in zip(e["docs"], e["digests"]):
            if docs is None or d in docs:
                parts.setdefault(d, []).append(f"{ds}\0{dig}")
    out = {}
    for d, ps in parts.items():
        h = hashlib.blake2b(code.encode(), digest_size=16)
        h.update("\n".join(sorted(ps)).encode())
        out[d] = h.hexdigest()
    return out


def changed_docs(old: dict | None, new: dict) -> set[str]:
    """The documents whose rows in one file differ between two entries of it."""
    a = dict(zip(old["docs"], old["digests"])) if old else {}
    b = dict(zip(new["docs"], new["digests"]))
    return {d for d in a.keys() | b.keys() if a.get(d) != b.get(d)}
