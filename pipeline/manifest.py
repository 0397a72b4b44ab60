"""The run manifest, ``<out>/_manifest.json``: what the next run needs to leave unchanged
documents unread and unchanged files unwritten.

    {"format": "run-manifest-1",
     "salt": hex,                       # code fingerprint + writer code and settings
     "files": {path: [inputs digest,    # every file of the datasets (as in datapackage.json)
                      [[document key hash, rows], ...]]},   # where each document's rows are
     "docs": {cache key: {              # one per document with records, in input order
         "doc": {COPIED fields of its documents row},
         "forms": [form_type, ...], "findings": [[rule, severity], ...],
         "keys": {doc_id: [content-key digest, ...]},       # duplicates.py
         "parts": [[dataset, partition folder, rows, weight], ...]}}}

A document of the next run whose cache key is listed is not read at all: the merger
takes its ``Digest`` (packets.py) and its rows per stream from here, and its tables are
read from the per-document cache only for a file that has to be written again.  The
manifest is ignored (everything is written) when its ``salt`` differs: another
fingerprint of the code or vocabularies, another writer, other writer settings.  It is
written with the datasets in the temporary output and swapped in with them, so it
always describes the files beside it; deterministic (input order, sorted keys).
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from .packets import Digest

FORMAT = "run-manifest-1"
ROOT = Path(__file__).resolve().parent
# what the published rows depend on besides the per-document records (cache.fingerprint):
# the merge (documents rows, copies, failures, same_content_as) and the writer
_CODE = ("run.py", "writer.py", "chunks.py", "manifest.py", "packets.py", "duplicates.py", "inputs.py")


def settings_salt(fingerprint: str, options: dict | None = None) -> bytes:
    h = hashlib.blake2b(f"{FORMAT}\0{fingerprint}\0".encode())
    for name in _CODE:
        h.update(name.encode() + b"\0" + (ROOT / name).read_bytes() + b"\0")
    h.update(json.dumps(options or {}, sort_keys=True).encode())
    return h.digest()


def entry(dg: Digest, parts: list) -> dict:
    return {"doc": dg.doc, "forms": list(dg.forms), "findings": [list(f) for f in dg.findings],
            "keys": {d: sorted(k.hex() for k in ks) for d, ks in sorted(dg.keys.items())},
            "parts": [list(p) for p in parts]}


def digest_of(e: dict) -> tuple[Digest, list]:
    keys = {d: frozenset(bytes.fromhex(k) for k in ks) for d, ks in e["keys"].items()}
    return (Digest(e["doc"], tuple(e["forms"]), tuple(tuple(f) for f in e["findings"]), keys),
            [tuple(p) for p in e["parts"]])


@dataclass
class Previous:
    docs: dict          # cache key -> entry
    files: dict         # inputs digest -> path of the file in the previous output
    items: dict         # path of a previous file -> its documents' [key hash, rows]
    root: str = ""
    _index: dict = field(default_factory=dict)

    def locate(self, name: str, sub: str, kh: str) -> tuple[str, int, int] | None:
        """(previous file, first row, rows) of a document's rows in one stream."""
        stream = os.path.join(self.root, name, sub) if sub else os.path.join(self.root, name)
        idx = self._index.get(stream)
        if idx is None:  # built only for the streams that have a file to write again
            idx = self._index[stream] = {}
            for path, items in self.items.items():
                if os.path.dirname(path) == stream:
                    start = 0
                    for k, n in items:
                        idx[k] = (path, start, n)
                        start += n
        return idx.get(kh)


def load(out_dir: Path, salt: bytes) -> Previous | None:
    """The previous run's manifest beside its datasets, if it was made with this salt."""
    from .writer import MANIFEST
    try:
        m = json.loads((Path(out_dir) / MANIFEST).read_text("utf-8"))
        if m.get("format") != FORMAT or m.get("salt") != salt.hex():
            return None
        root = Path(out_dir).absolute()
        return Previous(m["docs"], {d: str(root / p) for p, (d, _) in m["files"].items()},
                        {str(root / p): items for p, (_, items) in m["files"].items()}, str(root))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def save(path: Path, salt: bytes, docs: list[tuple[str, dict]], files: dict) -> None:
    flat = {p: [d, [list(i) for i in items]] for name in sorted(files) for p, d, _, items in files[name]}
    m = {"format": FORMAT, "salt": salt.hex(), "files": flat, "docs": dict(docs)}
    Path(path).write_text(json.dumps(m, ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")
