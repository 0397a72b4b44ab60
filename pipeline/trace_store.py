"""The ids of the datasets (their shapes, CONTRACT.md, Identifiers) and :class:`Store`,
the Parquet rows by primary key read with DuckDB, that ``pipeline trace`` works on."""
from __future__ import annotations

import re
from pathlib import Path

import duckdb

DOC_RE = r"[0-9a-f]{16}"
ID_SHAPES = [
    (re.compile(rf"^(?P<doc>{DOC_RE})$"), "documents"),
    (re.compile(rf"^(?P<doc>{DOC_RE}):c(?P<n>\d+)$"), "checks"),
    (re.compile(rf"^(?P<doc>{DOC_RE}):(?P<sec>\d+)$"), "sections"),
    (re.compile(rf"^(?P<doc>{DOC_RE}):(?P<sec>\d+):(?P<kind>[bifgdkm])(?P<n>\d+)$"), None),
]
CHILD_DATASET = {"b": "blocks", "i": "indicators", "f": "funds", "g": "goals", "d": "goals",
                 "k": "facts", "m": "mentions"}
PK = {"documents": "doc_id", "sections": "section_id", "blocks": "block_id",
      "indicators": "indicator_id", "funds": "fund_id", "goals": "goal_id", "facts": "fact_id",
      "mentions": "mention_id", "checks": "check_id"}
SINGULAR = {"documents": "document", "sections": "section", "blocks": "block",
            "indicators": "indicator", "funds": "fund", "goals": "goal", "facts": "fact",
            "mentions": "mention", "checks": "check"}
ID_HELP = ("ids look like 806e84d27ac093d9 (document), 806e84d27ac093d9:2 (section), "
           "…:2:b64 (block), …:2:i3 (indicator), …:1:f11 (fund), …:2:g1 / …:2:d1 (goal / duty), "
           "…:2:k2 (fact), …:6:m11 (mention), 806e84d27ac093d9:c1 (check)")


class UnknownId(KeyError):
    """The id has no row in any dataset (or is not shaped like an id)."""

    def __str__(self) -> str:  # KeyError quotes its message otherwise
        return str(self.args[0]) if self.args else "unknown id"


class MissingData(FileNotFoundError):
    pass


def dataset_of(id_: str) -> str | None:
    """The dataset an id belongs to, from its shape alone (None if it is not an id)."""
    for rx, ds in ID_SHAPES:
        m = rx.match(id_)
        if m:
            return ds or CHILD_DATASET[m.group("kind")]
    return None


def _doc_of(id_: str) -> str:
    return id_.split(":", 1)[0]


def _section_of(id_: str) -> str | None:
    parts = id_.split(":")
    if len(parts) >= 2 and parts[1].isdigit():
        return f"{parts[0]}:{parts[1]}"
    return None


# ---------------------------------------------------------------------------- store

class Store:
    """Rows of the Parquet datasets by primary key, read with DuckDB and cached."""

    def __init__(self, parquet_dir: Path):
        self.dir = Path(parquet_dir)
        if not self.dir.is_dir() or not any((self.dir / "documents").rglob("*.parquet")):
            raise MissingData(f"no datasets under {self.dir} (expected {self.dir}/documents/*.parquet); "
                              f"run `uv run python -m pipeline run data/raw --out {self.dir}` first")
        self.con = duckdb.connect()
        self._rows: dict[str, dict[str, dict]] = {}
        self._text: dict[str, str | None] = {}

    def _glob(self, ds: str) -> str:
        return (self.dir / ds / "**" / "*.parquet").as_posix()

    def has(self, ds: str) -> bool:
        return any((self.dir / ds).rglob("*.parquet"))

    def query(self, sql: str, params=()) -> list[dict]:
        cur = self.con.execute(sql, list(params))
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]

    def get_many(self, ds: str, ids: list[str]) -> dict[str, dict]:
        cache = self._rows.setdefault(ds, {})
        want = [i for i in dict.fromkeys(ids) if i and i not in cache]
        if want and self.has(ds):
            cols = "* EXCLUDE (text)" if ds == "documents" else "*"
            marks = ",".join("?" for _ in want)
            for r in self.query(f"SELECT {cols} FROM read_parquet('{self._glob(ds)}') "
                                f"WHERE {PK[ds]} IN ({marks})", want):
                cache[r[PK[ds]]] = r
        return {i: cache[i] for i in ids if i in cache}

    def get(self, ds: str, id_: str) -> dict | None:
        return self.get_many(ds, [id_]).get(id_)

    def block(self, block_id: str) -> dict | None:
        """A block; the first request loads every block of its section (one query)."""
        cache = self._rows.setdefault("blocks", {})
        if block_id not in cache:
            sec = _section_of(block_id)
            loaded = self._rows.setdefault("_sections_loaded", {})
            if sec and sec not in loaded and self.has("blocks"):
                loaded[sec] = True
                for r in self.query(f"SELECT * FROM read_parquet('{self._glob('blocks')}') "
                                    f"WHERE section_id = ?", [sec]):
                    cache.setdefault(r["block_id"], r)
        return cache.get(block_id) or self.get("blocks", block_id)

    def text(self, doc_id: str) -> str | None:
        if doc_id not in self._text:
            rows = self.query(f"SELECT text FROM read_parquet('{self._glob('documents')}') WHERE doc_id = ?",
                              [doc_id])
            self._text[doc_id] = rows[0]["text"] if rows else None
        return self._text[doc_id]

    def where(self, ds: str, column: str, value) -> list[dict]:
        if not self.has(ds):
            return []
        return self.query(f"SELECT * FROM read_parquet('{self._glob(ds)}') WHERE {column} = ? "
                          f"ORDER BY {PK[ds]}", [value])
