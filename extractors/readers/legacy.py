"""Legacy Office files: what an OLE2 compound file holds, and LibreOffice conversion.

* :func:`ole_kind` tells a Word 97-2003 document (``.doc``; Kingsoft WPS ``.wps`` files
  are the same format), an Excel 97-2003 workbook (``.xls``; Kingsoft ``.et``), an
  encrypted OOXML package and anything else apart by the stream names in the compound
  file's directory (``WordDocument``, ``Workbook``/``Book``, ``EncryptedPackage``), read
  from the 128-byte directory entries themselves (name, then its length), never by the
  file name.
* :func:`convert` runs LibreOffice headless (``soffice --headless --convert-to docx``)
  on a copy of the bytes in a private temporary folder, with a private user profile
  (``-env:UserInstallation=file:///tmp/...``, so it neither touches nor waits on a
  desktop LibreOffice), and a time limit (:data:`CONVERT_TIMEOUT` seconds; the whole
  process group is killed when it passes).  It returns the converted bytes and the
  converter's name and version for the provenance warning (as the converted package's
  ``docProps/app.xml`` states it, else from ``soffice --version``).  Where LibreOffice is not
  installed, the :class:`~extractors.model.ReaderError` says what to install.
"""
from __future__ import annotations

import functools
import os
import re
import shutil
import signal
import struct
import subprocess
import tempfile
from pathlib import Path

from ..model import ReaderError

CONVERT_TIMEOUT = 90  # seconds for one LibreOffice conversion
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_STREAMS = {"WordDocument": "word", "Workbook": "excel", "Book": "excel",
            "EncryptedPackage": "encrypted", "PowerPoint Document": "powerpoint"}
_CANDIDATES = ["soffice", "libreoffice", "/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice",
               "/opt/libreoffice/program/soffice",
               "/Applications/LibreOffice.app/Contents/MacOS/soffice",
               r"C:\Program Files\LibreOffice\program\soffice.exe"]
INSTALL_HINT = ("install LibreOffice (Debian/Ubuntu: apt-get install libreoffice-writer-nogui "
                "libreoffice-calc-nogui; elsewhere https://www.libreoffice.org/download/) so "
                "that `soffice` is on PATH, or save the file as .docx/.xlsx and add it again")


def ole_streams(data: bytes) -> set[str]:
    """Names of the known streams found in the OLE2 directory entries of ``data``."""
    found: set[str] = set()
    for name in _STREAMS:
        needle = (name + "\0").encode("utf-16-le")
        start = 0
        while True:
            i = data.find(needle, start)
            if i < 0:
                break
            start = i + 2
            # a directory entry is 128 bytes, aligned to 128 in the file (sectors are
            # 512 or 4096 bytes after a 512-byte header); its name length follows at +64
            if i % 128 == 0 and len(data) >= i + 66:
                (n,) = struct.unpack_from("<H", data, i + 64)
                if n == len(needle):
                    found.add(name)
                    break
    return found


def ole_kind(data: bytes) -> str:
    """word | excel | encrypted | powerpoint | unknown for an OLE2 compound file."""
    kinds = {_STREAMS[s] for s in ole_streams(data)}
    for k in ("encrypted", "word", "excel", "powerpoint"):
        if k in kinds:
            return k
    return "unknown"


def soffice_path() -> str | None:
    env = os.environ.get("SOFFICE")
    for cand in ([env] if env else []) + _CANDIDATES:
        found = shutil.which(cand) or (cand if os.path.isabs(cand) and os.access(cand, os.X_OK) else None)
        if found:
            return found
    return None


@functools.lru_cache(maxsize=4)
def soffice_version(path: str) -> str:
    """``LibreOffice 7.4`` (major.minor), from ``soffice --version``; ``LibreOffice`` if unknown."""
    try:
        with tempfile.TemporaryDirectory(prefix="bp-soffice-") as tmp:
            out = _run([path, _profile_arg(tmp), "--version"], tmp, 30).decode("utf-8", "replace")
    except (ReaderError, OSError):
        return "LibreOffice"
    m = re.search(r"(LibreOffice\w*)\s+(\d+)\.(\d+)", out)
    return f"{m.group(1)} {m.group(2)}.{m.group(3)}" if m else "LibreOffice"


def _profile_arg(tmp: str) -> str:
    return "-env:UserInstallation=" + (Path(tmp) / "profile").as_uri()


def _run(cmd: list[str], cwd: str, timeout: float) -> bytes:
    """Run ``cmd`` in its own process group; kill the group when it passes ``timeout``."""
    env = dict(os.environ, HOME=cwd)
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            proc.kill()
        proc.communicate()
        raise ReaderError(f"LibreOffice did not finish converting the file within {timeout:.0f} s "
                          "(damaged or very large file?): save it as .docx/.xlsx and add it again")
    finally:
        try:  # soffice may leave helpers behind in its group
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError, OSError):
            pass
    return out or b""


def convert(data: bytes, src_ext: str, target: str, timeout: float | None = None) -> tuple[bytes, str]:
    """Convert ``data`` (a ``.{src_ext}`` file) to ``target`` (docx | xlsx) with LibreOffice.

    Returns (converted bytes, "LibreOffice X.Y").  Raises ReaderError."""
    path = soffice_path()
    if path is None:
        raise ReaderError(f".{src_ext} files are read through LibreOffice, which is not "
                          f"installed: {INSTALL_HINT}")
    limit = CONVERT_TIMEOUT if timeout is None else timeout
    with tempfile.TemporaryDirectory(prefix="bp-soffice-") as tmp:
        src = Path(tmp) / f"input.{src_ext}"
        src.write_bytes(data)
        outdir = Path(tmp) / "out"
        outdir.mkdir()
        try:
            log = _run([path, _profile_arg(tmp), "--headless", "--norestore", "--nologo",
                        "--nodefault", "--nolockcheck", "--convert-to", target,
                        "--outdir", str(outdir), str(src)], tmp, limit)
        except OSError as e:
            raise ReaderError(f"LibreOffice ({path}) could not be started ({e}): {INSTALL_HINT}") from e
        out = outdir / f"input.{target}"
        if not out.exists() or out.stat().st_size == 0:
            said = " ".join(log.decode("utf-8", "replace").split())[:300]
            raise ReaderError(f"LibreOffice could not convert this .{src_ext} (damaged, "
                              f"password-protected or not really a .{src_ext}?"
                              + (f"; it said: {said}" if said else "") +
                              f"): open it in Word/Excel/LibreOffice, save it as .{target} and "
                              "add it again")
        converted = out.read_bytes()
    return converted, _written_by(converted) or soffice_version(path)


def _written_by(package: bytes) -> str | None:
    """``LibreOffice 7.4`` from the converted package's ``docProps/app.xml``
    (``<Application>LibreOffice/7.4.7.2$Linux_X86_64 ...``), the exact converter."""
    import io
    import zipfile
    try:
        app = zipfile.ZipFile(io.BytesIO(package)).read("docProps/app.xml")[:4096]
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return None
    m = re.search(rb"<Application>\s*(LibreOffice\w*)/(\d+)\.(\d+)", app)
    return f"{m.group(1).decode()} {m.group(2).decode()}.{m.group(3).decode()}" if m else None
