"""The run manifest, ``<out>/_manifest.tsv``: what the next run needs to leave unchanged
documents unread and unchanged files unwritten.  One record a line, tab-separated:

    H  {"format": "run-manifest-1", "salt": hex}      code fingerprint + writer code and settings
    F  path  inputs digest  key:rows key:rows ...     every file of the datasets (as in
                                                     datapackage.json) and the documents it
                                                     holds: their key hashes and row counts
    D  cache key  {"doc": {COPIED fields of its documents row},
                   "forms": [form_type, ...], "findings": [[rule, severity], ...],
                   "keys": {doc_id: [content-key digest, ...]},     (duplicates.py)
                   "parts": [[dataset, partition folder, rows, weight], ...]}

A document of the next run whose cache key is listed is not read at all: the merger
takes its ``Digest`` (packets.py) and its rows per stream from here; its rows are read
only for a file that has to be written again, from the previous file that held them
(located by the F records) or the per-document cache.  The manifest is ignored
(everything is written) when its ``salt`` differs: another fingerprint of the code or
vocabularies, another writer, other writer settings.  Lines, not one JSON document, so
that neither run holds it as Python objects: the D records are spooled to disk as the
documents come and kept as text by the next run until used.  Written with the datasets in
the temporary output and swapped in with them, so it always describes the files beside
it; deterministic (input order, sorted keys).
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from .chunks import items_text
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
    docs: dict          # cache key -> its D record's JSON text
    files: dict         # inputs digest -> path of the file in the previous output
    items: dict         # path of a previous file -> its documents' "key:rows ..." text
    root: str = ""
    _index: dict = field(default_factory=dict)

    def entry(self, ck: str) -> tuple[Digest, list]:
        return digest_of(json.loads(self.docs[ck]))

    def locate(self, name: str, sub: str, kh: str) -> tuple[str, int, int] | None:
        """(previous file, first row, rows) of a document's rows in one stream."""
        stream = os.path.join(self.root, name, sub) if sub else os.path.join(self.root, name)
        idx = self._index.get(stream)
        if idx is None:  # built only for the streams that have a file to write again
            idx = self._index[stream] = {}
            for path, items in self.items.items():
                if os.path.dirname(path) == stream:
                    start = 0
                    for item in items.split():
                        k, n = item.split(":")
                        idx[k] = (path, start, int(n))
                        start += int(n)
        return idx.get(kh)


def load(out_dir: Path, salt: bytes) -> Previous | None:
    """The previous run's manifest beside its datasets, if it was made with this salt."""
    from .writer import MANIFEST
    root = Path(out_dir).absolute()
    prev = Previous({}, {}, {}, str(root))
    try:
        with open(root / MANIFEST, encoding="utf-8") as f:
            head = json.loads(f.readline().split("\t", 1)[1])
            if head.get("format") != FORMAT or head.get("salt") != salt.hex():
                return None
            for line in f:
                kind, rest = line.rstrip("\n").split("\t", 1)
                if kind == "D":
                    ck, e = rest.split("\t", 1)
                    prev.docs[ck] = e
                elif kind == "F":
                    path, digest, items = rest.split("\t")
                    prev.files[digest] = str(root / path)
                    prev.items[str(root / path)] = items
    except (OSError, ValueError, IndexError, KeyError, TypeError, AttributeError):
        return None
    return prev


class Spool:
    """The D records of a run, written as the documents come; ``save`` puts the manifest
    together once the files are known."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.f = open(self.path, "w", encoding="utf-8")

    def add(self, ck: str, dg: Digest, parts: list) -> None:
        self.f.write(f"D\t{ck}\t" + json.dumps(entry(dg, parts), ensure_ascii=False,
                                                separators=(",", ":")) + "\n")

    def save(self, path: Path, salt: bytes, files: dict) -> None:
        self.f.close()
        with open(path, "w", encoding="utf-8") as out:
            out.write("H\t" + json.dumps({"format": FORMAT, "salt": salt.hex()}) + "\n")
            for name in sorted(files):
                for p, d, _, items in files[name]:
                    out.write(f"F\t{p}\t{d}\t{items_text(items)}\n")
            with open(self.path, encoding="utf-8") as src:
                for line in src:
                    out.write(line)
        os.unlink(self.path)
