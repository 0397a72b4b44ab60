"""Run one of the SQL files in queries/ with DuckDB and print the result.

    uv run python queries/run.py queries/execution_rate.sql                 # data/parquet
    uv run python queries/run.py queries/execution_rate.sql /tmp/pq_seed    # any output folder
    uv run python queries/run.py queries/findings.sql --csv > findings.csv
    uv run python queries/run.py queries/money_by_hierarchy.sql | head     # (no BrokenPipeError)

The SQL files read the datasets as ``read_parquet('{parquet}/<dataset>/**/*.parquet')``;
``{parquet}`` is replaced by the Parquet folder given (default ``data/parquet``, the
output of ``dvc repro``).  Nothing else in the SQL is templated.
"""
from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PARQUET = ROOT / "data" / "parquet"
PLACEHOLDER = "{parquet}"


def load_sql(sql_path: Path | str, parquet_dir: Path | str = DEFAULT_PARQUET) -> str:
    """The SQL of ``sql_path`` with ``{parquet}`` replaced by ``parquet_dir`` (a quoted
    string literal's content: POSIX separators, single quotes doubled)."""
    sql = Path(sql_path).read_text("utf-8")
    where = Path(parquet_dir).as_posix().rstrip("/") or "/"
    return sql.replace(PLACEHOLDER, where.replace("'", "''"))


def query(sql_path: Path | str, parquet_dir: Path | str = DEFAULT_PARQUET,
          con: duckdb.DuckDBPyConnection | None = None) -> tuple[list[str], list[tuple]]:
    """Column names and rows of the query in ``sql_path`` over ``parquet_dir``."""
    parquet_dir = Path(parquet_dir)
    if not (parquet_dir / "documents").is_dir():
        raise FileNotFoundError(f"no datasets under {parquet_dir} (expected {parquet_dir}/documents/); "
                                f"run `uv run python -m pipeline run data/raw --out {parquet_dir}` first")
    con = con or duckdb.connect()
    rel = con.sql(load_sql(sql_path, parquet_dir))
    if rel is None:  # a statement that returns nothing
        return [], []
    return list(rel.columns), rel.fetchall()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sql", type=Path, help="a .sql file of queries/")
    ap.add_argument("parquet_dir", type=Path, nargs="?", default=DEFAULT_PARQUET,
                    help="folder of the datasets (default: data/parquet)")
    ap.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    ap.add_argument("--max-rows", type=int, default=10_000, help="rows shown in the table (default 10000)")
    ap.add_argument("--max-width", type=int, default=None, help="table width in characters (default: terminal)")
    a = ap.parse_args(argv)
    try:
        if a.csv:
            cols, rows = query(a.sql, a.parquet_dir)
            w = csv.writer(sys.stdout, lineterminator="\n")
            w.writerow(cols)
            w.writerows(rows)
            return 0
        if not (a.parquet_dir / "documents").is_dir():
            query(a.sql, a.parquet_dir)  # raises the helpful FileNotFoundError
        rel = duckdb.sql(load_sql(a.sql, a.parquet_dir))
        if rel is not None:
            width = a.max_width
            if width is None and not sys.stdout.isatty():
                width = 10_000  # piped: no column is cut
            opts = {"max_rows": a.max_rows} | ({"max_width": width} if width else {})
            rel.show(**opts)
    except (FileNotFoundError, duckdb.Error) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `… | head`: the reader has what it wanted
        _quiet_stdout()
    return 0


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush does not fail again."""
    import os
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
