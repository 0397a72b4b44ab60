"""Command line: ``uv run python -m pipeline run|check|trace|report``.

Every failure a user can cause (a missing folder, an unknown id or rule, a wrong
argument) is one line on stderr starting ``error:`` and an exit status: 1 when the work
cannot be done, 2 for a wrong argument or id; never a traceback.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_PARQUET = Path("data/parquet")
PROG = "uv run python -m pipeline"   # how the README and every printed hint call it


class _Parser(argparse.ArgumentParser):
    """argparse, with a wrong argument reported in one line (and where to find help)."""

    def error(self, message: str):  # noqa: D102
        self.exit(2, f"error: {message} (see `{self.prog} --help`)\n")


def _cmd_run(args) -> int:
    import sys

    from .distributed import choose_scheduler, machine_cores
    from .run import InputError, default_workers, run
    workers = args.workers if args.workers else default_workers()
    scheduler = choose_scheduler(args.scheduler, workers)
    if scheduler == "local" and not args.scheduler and not args.quiet:
        print(f"{workers} workers asked, this machine has {machine_cores()} cores: running on a Dask "
              f"LocalCluster of {workers} processes (--scheduler pool keeps the local pool)", file=sys.stderr)
    cache = None if args.no_cache else (args.cache or str(Path(args.out).parent / "interim"))
    try:
        summary = run(Path(args.raw_dir), Path(args.out), workers=workers, timeout=args.timeout,
                      metrics_path=Path(args.metrics) if args.metrics else None,
                      progress=not args.quiet, cache_dir=cache,
                      memory_limit_mb=args.memory_limit_mb, max_file_mb=args.max_file_mb,
                      allow_empty=args.allow_empty, scheduler=scheduler)
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
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
        _listing([_capped_group(line) for line in s["same_content"]], "groups")
    if s["failed_files"]:
        print(f"{len(s['failed_files'])} file(s) failed (see documents.error):")
        _listing(s["failed_files"], "failed files")
    where = "" if Path(args.out) == DEFAULT_PARQUET else f" {args.out}"
    print(f"next: {PROG} check{where}   (the findings)\n      {PROG} report{where}   (HTML audit reports)")
    return 1 if s["failed_files"] and args.strict else 0


LISTED = 20        # lines of a run's summary listing on the console (all are in the datasets)
GROUP_NAMES = 6    # file names shown of one same-content group


def _listing(lines: list[str], what: str) -> None:
    for line in lines[:LISTED]:
        print(f"  {line}")
    if len(lines) > LISTED:
        print(f"  … and {len(lines) - LISTED} more {what} (all in the documents dataset)")


def _capped_group(line: str) -> str:
    names = line.split(" = ")
    if len(names) <= GROUP_NAMES:
        return line
    return " = ".join(names[:GROUP_NAMES]) + f" = … ({len(names) - GROUP_NAMES} more)"


def _cmd_check(args) -> int:
    from .checks import RULES
    from .checks_cli import print_checks
    known = [r.name for r in RULES]
    if args.rule and args.rule not in known:
        print(f"error: unknown rule {args.rule!r}; known rules: {', '.join(known)}", file=sys.stderr)
        return 2
    return print_checks(Path(args.parquet_dir), severity=args.severity, rule=args.rule)


def _cmd_trace(args) -> int:
    from .trace import trace_main
    return trace_main(args.id, Path(args.parquet_dir), color=args.color)


def _cmd_report(args) -> int:
    from .report import update_reports
    try:
        r = update_reports(Path(args.parquet_dir), Path(args.out))
    except FileNotFoundError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    done = f"{len(r.rendered)} rendered" + (", the others unchanged" if len(r.rendered) < r.documents else "")
    removed = f", {len(r.removed)} removed" if r.removed else ""
    print(f"{r.documents} report(s) in {args.out} ({done}{removed}); open {Path(args.out) / 'index.html'} "
          f"in a browser")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `… | head`: the reader has gone, nothing left to say
        _quiet_stdout()
        return 0
    except Exception as e:  # a bug: one line, and what to do, instead of a traceback
        print(f"error: {type(e).__name__}: {e} (please report this; PIPELINE_DEBUG=1 shows the traceback)",
              file=sys.stderr)
        import os
        if os.environ.get("PIPELINE_DEBUG"):
            raise
        return 1


def quick_exit(code: int | None) -> None:
    """End the ``python -m pipeline`` process once a command has returned: flush what it
    printed and leave without the interpreter's teardown, which frees every object one
    by one (after a batch, the preloaded spaCy pipeline and jieba's half-million-word
    dictionary: ~0.3 s of CPU for nothing).  Everything the command writes is closed by
    then (the output folder swapped in, the pool and any Dask cluster shut down); the
    exit status is the command's."""
    import logging
    import os
    code = 0 if code is None else int(code)
    try:
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # `… | head`: the reader has gone
        _quiet_stdout()
    except Exception:  # pragma: no cover - a stream that cannot flush: the usual exit
        sys.exit(code)
    os._exit(code)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog=PROG, description="Budget-performance documents to traceable Parquet datasets. "
                                        "Run a command with --help for its arguments.")
    sub = p.add_subparsers(dest="cmd", required=True, metavar="COMMAND", parser_class=_Parser)

    r = sub.add_parser("run", help="process every document in RAW_DIR and write the datasets",
                       description="Read every document under RAW_DIR (subfolders too) and write the "
                                   "Parquet datasets; a file that cannot be read gets a documents row "
                                   "with status failed and never stops the batch.")
    r.add_argument("raw_dir", metavar="RAW_DIR", help="folder of documents (.txt .docx .pdf .xlsx .html …)")
    r.add_argument("--out", default=str(DEFAULT_PARQUET), help="output folder (default data/parquet)")
    r.add_argument("--workers", type=int, default=0, help="parallel workers (default: cores)")
    r.add_argument("--timeout", type=float, default=300, help="seconds allowed per file (0: no limit)")
    r.add_argument("--metrics", default=None, help="also write a JSON summary here (DVC metrics)")
    r.add_argument("--strict", action="store_true", help="exit 1 if any file failed")
    r.add_argument("--cache", default=None,
                   help="per-document cache folder or fsspec URL (default: 'interim' beside --out)")
    r.add_argument("--no-cache", action="store_true", help="process every document again")
    r.add_argument("--memory-limit-mb", type=float, default=1536,
                   help="memory a worker may use for one file (0: no limit)")
    r.add_argument("--max-file-mb", type=float, default=100, help="larger files are reported, not read (0: no limit)")
    r.add_argument("--allow-empty", action="store_true", help="write empty datasets for an empty input folder")
    r.add_argument("--scheduler", default=None,
                   help="run on Dask: a scheduler address (tcp://host:8786) or 'local' for a LocalCluster of "
                        "--workers processes; 'pool' for the local pool. Default: the local pool, or a "
                        "LocalCluster when --workers is more than this machine's cores")
    r.add_argument("--quiet", action="store_true", help="no progress bar")
    r.set_defaults(func=_cmd_run)

    parquet_help = f"folder of the datasets written by run (default {DEFAULT_PARQUET})"
    c = sub.add_parser("check", help="print the audit findings",
                       description="Print the inconsistencies the checks found, grouped by document.")
    c.add_argument("parquet_dir", metavar="PARQUET_DIR", nargs="?", default=str(DEFAULT_PARQUET),
                   help=parquet_help)
    c.add_argument("--severity", choices=["error", "warning", "info"], default=None,
                   help="only findings of this severity")
    c.add_argument("--rule", default=None, metavar="RULE",
                   help="only findings of this rule (e.g. funds_sum); an unknown name is refused "
                        "with the list of rules")
    c.set_defaults(func=_cmd_check)

    t = sub.add_parser("trace", help="show where any id comes from",
                       description="Print the file, page or cell, and the source characters behind "
                                   "any id of any dataset.")
    t.add_argument("id", metavar="ID", help="any id: a doc_id, section, block (:b), indicator (:i), "
                                            "fund (:f), goal (:g/:d), fact (:k), mention (:m) or finding (:c)")
    t.add_argument("parquet_dir", metavar="PARQUET_DIR", nargs="?", default=str(DEFAULT_PARQUET),
                   help=parquet_help)
    t.add_argument("--color", choices=["auto", "always", "never"], default="auto",
                   help="mark the value in colour (auto: when printing to a terminal)")
    t.set_defaults(func=_cmd_trace)

    rep = sub.add_parser("report", help="write one self-contained HTML audit report per document",
                         description="Write {doc_id}.html per document and index.html: findings, "
                                     "what was extracted, and the text with every value highlighted.")
    rep.add_argument("parquet_dir", metavar="PARQUET_DIR", nargs="?", default=str(DEFAULT_PARQUET),
                     help=parquet_help)
    rep.add_argument("--out", default="data/reports", help="folder for the HTML files (default data/reports)")
    rep.set_defaults(func=_cmd_report)
    return p


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush does not fail again."""
    import os
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
