"""Command line: ``python -m pipeline run|check|trace|report``."""
from __future__ import annotations

import argparse
from pathlib import Path

DEFAULT_PARQUET = Path("data/parquet")


def _cmd_run(args) -> int:
    from .run import default_workers, run
    workers = args.workers if args.workers else default_workers()
    summary = run(Path(args.raw_dir), Path(args.out), workers=workers, timeout=args.timeout,
                  metrics_path=Path(args.metrics) if args.metrics else None,
                  progress=not args.quiet)
    s = summary
    st = s["documents_by_status"]
    print(f"{s['documents']} documents ({', '.join(f'{v} {k}' for k, v in st.items()) or 'none'}), "
          f"{s['sections']} sections, {s['indicators']} indicators, {s['funds']} fund figures, "
          f"{s['goals']} goals, {s['facts']} facts, {s['mentions']} narrative mentions, "
          f"{s['findings']} findings")
    if s["sections_by_form_type"]:
        print("sections by form: " + ", ".join(f"{k} {v}" for k, v in s["sections_by_form_type"].items()))
    if s.get("same_content"):
        print(f"{len(s['same_content'])} group(s) of files with the same content, counted once "
              f"(documents.same_content_as):")
        for line in s["same_content"]:
            print(f"  {line}")
    if s["failed_files"]:
        print(f"{len(s['failed_files'])} file(s) failed (see documents.error):")
        for f in s["failed_files"]:
            print(f"  {f}")
        return 1 if args.strict else 0
    return 0


def _cmd_check(args) -> int:
    from .checks_cli import print_checks
    return print_checks(Path(args.parquet_dir), severity=args.severity, rule=args.rule)


def _cmd_trace(args) -> int:
    from .trace import trace_main
    return trace_main(args.id, Path(args.parquet_dir), color=args.color)


def _cmd_report(args) -> int:
    from .report import write_reports
    n = write_reports(Path(args.parquet_dir), Path(args.out))
    print(f"wrote {n} report(s) to {args.out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m pipeline",
                                description="Budget-performance documents to traceable Parquet datasets.")
    sub = p.add_subparsers(dest="cmd", required=True)

    r = sub.add_parser("run", help="process every document in RAW_DIR and write the datasets")
    r.add_argument("raw_dir")
    r.add_argument("--out", default=str(DEFAULT_PARQUET), help="output folder (default data/parquet)")
    r.add_argument("--workers", type=int, default=0, help="parallel workers (default: cores)")
    r.add_argument("--timeout", type=float, default=300, help="seconds allowed per file (0: no limit)")
    r.add_argument("--metrics", default=None, help="also write a JSON summary here (DVC metrics)")
    r.add_argument("--strict", action="store_true", help="exit 1 if any file failed")
    r.add_argument("--quiet", action="store_true", help="no progress bar")
    r.set_defaults(func=_cmd_run)

    c = sub.add_parser("check", help="print the audit findings")
    c.add_argument("parquet_dir", nargs="?", default=str(DEFAULT_PARQUET))
    c.add_argument("--severity", choices=["error", "warning", "info"], default=None)
    c.add_argument("--rule", default=None)
    c.set_defaults(func=_cmd_check)

    t = sub.add_parser("trace", help="show where any id comes from")
    t.add_argument("id")
    t.add_argument("parquet_dir", nargs="?", default=str(DEFAULT_PARQUET))
    t.add_argument("--color", choices=["auto", "always", "never"], default="auto")
    t.set_defaults(func=_cmd_trace)

    rep = sub.add_parser("report", help="write one self-contained HTML audit report per document")
    rep.add_argument("parquet_dir", nargs="?", default=str(DEFAULT_PARQUET))
    rep.add_argument("--out", default="data/reports")
    rep.set_defaults(func=_cmd_report)

    args = p.parse_args(argv)
    return args.func(args)
