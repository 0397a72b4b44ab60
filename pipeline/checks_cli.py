"""``python -m pipeline check``: print the audit findings, grouped by document."""
from __future__ import annotations

import sys
from pathlib import Path

import duckdb

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
DEFAULT_PARQUET = Path("data/parquet")


def dataset_glob(parquet_dir: Path, name: str) -> str:
    return (Path(parquet_dir) / name / "**" / "*.parquet").as_posix()


def has_dataset(parquet_dir: Path, name: str) -> bool:
    return any((Path(parquet_dir) / name).rglob("*.parquet"))


def load_findings(parquet_dir: Path, severity: str | None = None, rule: str | None = None) -> list[dict]:
    """Findings joined with their document's source path, in (source_path, check) order."""
    con = duckdb.connect()
    where, params = [], []
    if severity:
        where.append("c.severity = ?")
        params.append(severity)
    if rule:
        where.append("c.rule = ?")
        params.append(rule)
    sql = f"""
        SELECT d.source_path, c.check_id, c.doc_id, c.section_id, c.rule, c.severity,
               c.message, c.expected, c.observed, c.refs,
               CAST(regexp_extract(c.check_id, ':c([0-9]+)$', 1) AS INTEGER) AS n
        FROM read_parquet('{dataset_glob(parquet_dir, "checks")}') c
        LEFT JOIN (SELECT doc_id, source_path FROM read_parquet('{dataset_glob(parquet_dir, "documents")}')) d
          USING (doc_id)
        {"WHERE " + " AND ".join(where) if where else ""}
        ORDER BY d.source_path, c.doc_id, n
    """
    cur = con.execute(sql, params)
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, row)) for row in cur.fetchall()]


def print_checks(parquet_dir: Path, severity: str | None = None, rule: str | None = None,
                 out=None) -> int:
    """Print findings grouped by document.  Exit code 0; 1 only when there is no data."""
    out = out or sys.stdout
    parquet_dir = Path(parquet_dir)
    if not parquet_dir.is_dir() or not has_dataset(parquet_dir, "checks"):
        print(f"error: no checks dataset under {parquet_dir}/checks/; run "
              f"`uv run python -m pipeline run data/raw --out {parquet_dir}` (or `uv run dvc repro`) first",
              file=sys.stderr)
        return 1
    rows = load_findings(parquet_dir, severity, rule)
    docs_total = 0
    if has_dataset(parquet_dir, "documents"):
        docs_total = duckdb.connect().execute(
            f"SELECT count(*) FROM read_parquet('{dataset_glob(parquet_dir, 'documents')}')").fetchall()[0][0]
    filt = ", ".join(x for x in (severity and f"severity={severity}", rule and f"rule={rule}") if x)
    current = object()
    counts: dict[str, int] = {}
    for r in rows:
        key = r["source_path"] or r["doc_id"]
        if key != current:
            current = key
            n = sum(1 for x in rows if (x["source_path"] or x["doc_id"]) == key)
            print(f"\n{key}  ({r['doc_id']}, {n} finding{'s' if n != 1 else ''})", file=out)
        counts[r["severity"]] = counts.get(r["severity"], 0) + 1
        print(f"  [{r['severity']}] {r['rule']}  {r['check_id']}", file=out)
        print(f"      {r['message']}", file=out)
        if r["expected"] is not None or r["observed"] is not None:
            print(f"      expected: {r['expected']}   stated: {r['observed']}", file=out)
    summary = ", ".join(f"{counts[s]} {s}" for s in sorted(counts, key=lambda s: SEVERITY_ORDER.get(s, 9)))
    n_docs = len({r["doc_id"] for r in rows})
    print(f"\n{len(rows)} finding{'s' if len(rows) != 1 else ''}"
          f"{' (' + summary + ')' if summary else ''} in {n_docs} of {docs_total} document(s)"
          f"{' matching ' + filt if filt else ''}", file=out)
    if rows:
        where = "" if parquet_dir == DEFAULT_PARQUET else f" {parquet_dir}"
        print(f"trace any id (finding, row or cell) with: "
              f"uv run python -m pipeline trace {rows[0]['check_id']}{where}", file=out)
    return 0
