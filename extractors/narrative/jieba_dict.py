"""jieba's prefix dictionary, loaded from a cache that is quick to read.

jieba keeps its default dictionary (~500,000 words and prefixes) as a ``marshal`` dump of
``(FREQ, total)`` in its temp dir; reading it back is ~0.7 s, the largest single cost of a
worker's start.  The same dictionary stored as one UTF-8 blob of the words and an array of
their counts is rebuilt in ~0.2 s (``str.split`` and ``dict(zip(...))`` run in C).

:func:`load` fills ``jieba.dt`` (``FREQ``, ``total``, ``initialized``) from that cache, or
lets jieba initialise as usual and writes the cache for the next start.  The cache is named
after what it was built from (jieba's version, the dictionary file's path, size and mtime),
so a changed dictionary or jieba is never read from a stale cache; a cache that cannot be
read or written is ignored (jieba's own loading is the fallback, with the same words).
Only jieba's default dictionary is cached: a custom one (``jieba.set_dictionary``) or
user words (``jieba.add_word``, which edit ``FREQ`` after loading) go through jieba.
"""
from __future__ import annotations

import array
import hashlib
import os
import struct
import tempfile

_MAGIC = b"JBPFD1\n"
_HEAD = struct.Struct("<qQQ")  # total, number of entries, bytes of the word blob


def cache_path(dt) -> str | None:
    """The cache file for ``dt``'s dictionary, or None when it is not jieba's default one."""
    import jieba

    if dt.dictionary != jieba.DEFAULT_DICT or dt.cache_file:
        return None
    name = os.path.join(os.path.dirname(os.path.abspath(jieba.__file__)), jieba.DEFAULT_DICT_NAME)
    try:
        st = os.stat(name)
    except OSError:
        return None
    key = f"{getattr(jieba, '__version__', '?')}|{name}|{st.st_size}|{st.st_mtime_ns}"
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()
    return os.path.join(dt.tmp_dir or tempfile.gettempdir(), f"jieba.{digest}.pfdict")


def read(path: str) -> tuple[dict[str, int], int] | None:
    """``(FREQ, total)`` from a cache file, or None when it is missing or damaged."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    if not data.startswith(_MAGIC) or len(data) < len(_MAGIC) + _HEAD.size:
        return None
    total, n, nbytes = _HEAD.unpack_from(data, len(_MAGIC))
    start = len(_MAGIC) + _HEAD.size
    counts = array.array("q")
    if len(data) != start + nbytes + n * counts.itemsize:
        return None
    try:
        words = data[start:start + nbytes].decode("utf-8").split("\n") if n else []
    except UnicodeDecodeError:
        return None
    counts.frombytes(data[start + nbytes:])
    if len(words) != n:
        return None
    return dict(zip(words, counts)), total


def write(path: str, freq: dict[str, int], total: int) -> bool:
    """Store ``(FREQ, total)``; False (and nothing left behind) when it cannot be written."""
    words = list(freq)
    if any("\n" in w for w in words):  # the blob's separator: such a dictionary is not cached
        return False
    blob = "\n".join(words).encode("utf-8")
    counts = array.array("q", (freq[w] for w in words))
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".jieba-", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(_MAGIC)
            f.write(_HEAD.pack(total, len(words), len(blob)))
            f.write(blob)
            f.write(counts.tobytes())
        os.replace(tmp, path)
        return True
    except (OSError, OverflowError):
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        return False


def load(dt) -> str:
    """Initialise ``dt`` (a ``jieba.Tokenizer``); says where its dictionary came from:
    ``"loaded"`` (already initialised), ``"cache"``, ``"jieba"`` (jieba's own loading, the
    cache then written when it can be)."""
    if dt.initialized:
        return "loaded"
    path = cache_path(dt)
    got = read(path) if path else None
    if got is not None:
        with dt.lock:
            if not dt.initialized:
                dt.FREQ, dt.total = got
                dt.initialized = True
        return "cache"
    dt.initialize()
    if path:
        write(path, dt.FREQ, dt.total)
    return "jieba"
