"""Large generated patterns, kept compiled on disk between processes.

The glued-text label lexers (``layout.shapes``) are alternations of every label of the
vocabularies: ~50,000 characters and ~700 named groups.  The ``regex`` module parses and
optimises a pattern in Python (its flag arithmetic alone is ~250,000 enum operations
here), 0.2 s for these, paid in the serial start of every run before the workers fork
and again in every cold worker (a rerun that processes one new document).  What that
work produces is plain data: the arguments the module hands its C ``compile`` (the
pattern, flags, a list of opcodes, the group tables).  :func:`compile` keeps those
arguments in a file named after the pattern and the ``regex`` and Python versions, and
rebuilds the pattern from them in ~1 ms.

Safety: a file is read only from a folder of this user's that no one else may write to,
and used only when its checksum and recorded pattern match; a missing,
damaged or foreign file, or a ``regex`` whose internals differ from what is expected,
falls back to ``regex.compile`` (the same pattern object, just slower), and the store is
written again when it can be.  Nothing here changes what a pattern matches.
"""
from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile

import regex

_MAGIC = b"RXSTORE1\n"
_DIGEST = 32


def _version() -> str:
    return f"{getattr(regex, '__version__', '?')}|{sys.version}|{_MAGIC.decode().strip()}"


def store_dir() -> str:
    """The store: ``PIPELINE_REGEX_STORE``, else a folder of this user's in the temp folder."""
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return os.environ.get("PIPELINE_REGEX_STORE") or os.path.join(tempfile.gettempdir(), f"budget-regex-{uid}")


def _trusted(folder: str) -> bool:
    """Only a folder of this user's that nobody else may write to is read: another user's
    file could hold any program for regex's matcher."""
    try:
        st = os.stat(folder)
    except OSError:
        return False
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return False
    return not st.st_mode & 0o022


def _path(pattern: str, flags: int) -> str:
    key = hashlib.blake2b(f"{_version()}\0{flags}\0{pattern}".encode("utf-8", "surrogatepass"),
                          digest_size=16).hexdigest()
    return os.path.join(store_dir(), f"{key}.rx")


def _capture(pattern: str, flags: int):
    """``regex.compile(pattern, flags)`` and the arguments it gave the C ``compile`` (None
    when it gave none: regex's internals changed)."""
    from regex import _main
    real, got = _main._regex, []

    class _Recorder:
        def __getattr__(self, name):
            return getattr(real, name)

        def compile(self, *args):
            got.append(args)
            return real.compile(*args)

    _main._regex = _Recorder()
    try:
        pat = regex.compile(pattern, flags, cache_pattern=False)  # compiled, not looked up
    finally:
        _main._regex = real
    return pat, (got[0] if len(got) == 1 else None)


def _plain(args: tuple) -> tuple | None:
    """The arguments as marshal-able plain data (the flags as ints), or None."""
    out = tuple(int(a) if isinstance(a, int) else a for a in args)
    try:
        marshal.dumps(out)
    except ValueError:
        return None
    return out


def _read(path: str, pattern: str):
    if not _trusted(os.path.dirname(path)):
        return None
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    if not data.startswith(_MAGIC) or len(data) < len(_MAGIC) + _DIGEST:
        return None
    body = data[len(_MAGIC) + _DIGEST:]
    if hashlib.blake2b(body, digest_size=_DIGEST).digest() != data[len(_MAGIC):len(_MAGIC) + _DIGEST]:
        return None
    try:
        args = marshal.loads(body)
    except (ValueError, EOFError, TypeError):
        return None
    if not isinstance(args, tuple) or not args or args[0] != pattern:
        return None
    try:
        from regex import _regex
        return _regex.compile(*args)
    except Exception:
        return None


def _write(path: str, args: tuple) -> None:
    body = marshal.dumps(args)
    tmp = None
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".rx-", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(_MAGIC + hashlib.blake2b(body, digest_size=_DIGEST).digest() + body)
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def compile(pattern: str, flags: int = 0):  # noqa: A001 - the regex module's name
    """``regex.compile(pattern, flags)``, from the store when it holds the pattern."""
    flags = int(flags)
    path = _path(pattern, flags)
    pat = _read(path, pattern)
    if pat is not None:
        return pat
    pat, args = _capture(pattern, flags)
    if args is not None and (plain := _plain(args)) is not None:
        _write(path, plain)
    return pat
