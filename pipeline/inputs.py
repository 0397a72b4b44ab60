"""The input paths of a run: every entry under the raw folder gets a row.

``list_entries`` walks the folder on byte paths, so a file name that is not valid UTF-8
(a Latin-1 ``été`` written as bytes) is kept losslessly: ``rel`` is the name with the
undecodable bytes escaped (``latin1-\\xe9t\\xe9.txt``) and ``rel_bytes`` the raw bytes.
Links to files are followed; a dangling link, a link loop, a folder reached twice through
links, or an entry that cannot be read is an ``Entry`` with ``problem`` set, which the run
reports as a ``failed`` documents row instead of skipping it silently.

Hidden entries (a name starting with ``.``) and DVC's own ``*.dvc`` files are not inputs.
"""
from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)  # no __dict__: ~100 bytes less an input, held for the whole run
class Entry:
    rel: str                   # path relative to the raw folder, POSIX, undecodable bytes escaped
    rel_bytes: bytes | None    # the raw bytes of ``rel`` when it is not valid UTF-8, else None
    path: str                  # absolute path (a str; for undecodable names os.fsdecode's surrogates)
    size: int | None           # bytes, None when it could not be read
    problem: str | None = None  # why this entry cannot be read (then it is a failed row)


def display_name(raw: bytes) -> tuple[str, bytes | None]:
    """``(text, raw_bytes_or_None)``: the name as text, undecodable bytes as ``\\xNN``."""
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        return raw.decode("utf-8", "backslashreplace"), raw


def _skip(name: bytes) -> bool:
    return name.startswith(b".") or name.lower().endswith(b".dvc")


def list_entries(raw_dir: Path | str) -> list[Entry]:
    """Every input entry under ``raw_dir``, sorted by its relative path (as bytes)."""
    root = os.fsencode(os.path.abspath(raw_dir))
    out: list[tuple[bytes, Entry]] = []
    seen_dirs: set[tuple[int, int]] = set()
    st = os.stat(root)
    seen_dirs.add((st.st_dev, st.st_ino))
    stack: list[bytes] = [b""]
    while stack:
        rel_dir = stack.pop()
        here = os.path.join(root, rel_dir) if rel_dir else root
        try:
            names = sorted(os.listdir(here))
        except OSError as e:
            rel, raw = display_name(rel_dir)
            out.append((rel_dir, Entry(rel, raw, os.fsdecode(here), None,
                                       f"folder cannot be listed ({e.strerror}); check its permissions")))
            continue
        for name in names:
            if _skip(name):
                continue
            rel_b = rel_dir + b"/" + name if rel_dir else name
            full = os.path.join(here, name)
            rel, raw = display_name(rel_b)
            entry_or_dir = _classify(full, rel, raw, seen_dirs)
            if isinstance(entry_or_dir, Entry):
                out.append((rel_b, entry_or_dir))
            else:
                stack.append(rel_b)
    out.sort(key=lambda t: t[0])
    return [e for _, e in out]


def _classify(full: bytes, rel: str, raw: bytes | None, seen_dirs: set) -> Entry | bool:
    """An ``Entry`` for a file or a bad entry; ``True`` for a folder to descend into."""
    path = os.fsdecode(full)
    try:
        lst = os.lstat(full)
    except OSError as e:
        return Entry(rel, raw, path, None, f"cannot be read ({e.strerror})")
    try:
        st = os.stat(full)
    except OSError as e:
        if e.errno == errno.ELOOP:
            why = "symbolic link loop: the link points (through other links) back to itself; fix or remove the link"
        elif e.errno == errno.ENOENT and stat.S_ISLNK(lst.st_mode):
            target = os.fsdecode(os.readlink(full))
            why = f"broken symbolic link: its target {target!r} does not exist; fix or remove the link"
        else:
            why = f"cannot be read ({e.strerror})"
        return Entry(rel, raw, path, None, why)
    if stat.S_ISDIR(st.st_mode):
        key = (st.st_dev, st.st_ino)
        if key in seen_dirs:
            return Entry(rel, raw, path, None,
                         "symbolic link to a folder already read (a link loop or a second route "
                         "to the same folder); its files are read once, under their first path")
        seen_dirs.add(key)
        return True
    if not stat.S_ISREG(st.st_mode):
        return Entry(rel, raw, path, None, "not a regular file (a device, socket or pipe); remove it from the raw folder")
    if not os.access(full, os.R_OK):
        return Entry(rel, raw, path, st.st_size, "permission denied: the file cannot be read; check its permissions")
    return Entry(rel, raw, path, st.st_size)
