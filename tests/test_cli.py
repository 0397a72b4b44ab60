"""The command line as a user meets it: help for every argument, one-line errors with an
exit status (never a traceback), and printed hints that run as printed."""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

import pytest

from pipeline.cli import PROG, build_parser, main
from pipeline.metrics import metrics_of
from tests.conftest import D000, ROOT


def cli(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    """``python -m pipeline ARGS`` in a child process, as a user runs it."""
    env = {k: v for k, v in os.environ.items() if k != "PIPELINE_DEBUG"}
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True,
                          cwd=cwd, env=env | {"PYTHONPATH": str(ROOT)}, timeout=300)


def one_line_error(res: subprocess.CompletedProcess, code: int) -> str:
    assert res.returncode == code, (res.returncode, res.stderr)
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), res.stderr
    assert "Traceback" not in res.stderr + res.stdout
    return lines[0]


def subcommands() -> dict[str, argparse.ArgumentParser]:
    [sub] = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(sub.choices)


def test_every_argument_of_every_command_is_described():
    subs = subcommands()
    assert set(subs) == {"run", "check", "trace", "report"}
    for name, p in subs.items():
        assert p.description, name
        for a in p._actions:
            assert a.help and a.help != argparse.SUPPRESS, (name, a.dest)


def test_help_names_the_command_as_the_readme_runs_it(capsys):
    with pytest.raises(SystemExit) as e:
        main(["check", "--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: {PROG} check") and PROG == "uv run python -m pipeline"
    assert "--rule RULE" in out and "only findings of this rule" in out


def test_report_on_a_missing_folder(tmp_path):
    line = one_line_error(cli("report", str(tmp_path / "nowhere"), "--out", str(tmp_path / "r")), 1)
    assert "no documents dataset" in line and "uv run python -m pipeline run data/raw" in line


def test_trace_of_an_unknown_id(parquet_dir):
    line = one_line_error(cli("trace", f"{D000}:2:i999", str(parquet_dir)), 2)
    assert f"{D000}:2:i999" in line
    line = one_line_error(cli("trace", "nosuch", str(parquet_dir)), 2)
    assert "ids look like" in line


def test_check_with_an_unknown_rule_lists_the_known_ones(parquet_dir):
    line = one_line_error(cli("check", str(parquet_dir), "--rule", "nosuch"), 2)
    assert "unknown rule 'nosuch'" in line and "funds_sum" in line and "goal_vs_indicator" in line
    # a known rule filters: seed 000's 附件1 row 11 项目支出 2385.39 vs its lines
    res = cli("check", str(parquet_dir), "--rule", "funds_sum")
    assert res.returncode == 0 and "funds_sum" in res.stdout and "goal_vs_indicator" not in res.stdout


def test_a_wrong_argument_is_one_line(tmp_path):
    line = one_line_error(cli("check", "--severity", "fatal"), 2)
    assert "invalid choice: 'fatal'" in line and "--help" in line
    one_line_error(cli("frobnicate"), 2)


def test_the_trace_hint_printed_by_check_runs_as_printed(parquet_dir):
    res = cli("check", str(parquet_dir))
    assert res.returncode == 0
    [hint] = [line for line in res.stdout.splitlines() if "pipeline trace" in line]
    cmd = hint.split("with: ", 1)[1]
    assert cmd == f"{PROG} trace {D000}:c1 {parquet_dir}"
    again = cli(*cmd.removeprefix(PROG + " ").split())
    assert again.returncode == 0, again.stderr
    assert "funds_sum" in again.stdout and "2385.39" in again.stdout


def test_run_prints_next_steps_that_run(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "seed000.txt").write_bytes((ROOT / "data" / "raw" / "000_dbacab0dbc49b42b.txt").read_bytes())
    out = tmp_path / "pq"
    res = cli("run", str(raw), "--out", str(out), "--workers", "1", "--quiet", "--metrics",
              str(tmp_path / "metrics.json"))
    assert res.returncode == 0, res.stderr
    nexts = [line.split("next:")[-1].split("(")[0].strip() for line in res.stdout.splitlines()
             if line.lstrip().startswith((f"next: {PROG}", PROG))]
    assert nexts == [f"{PROG} check {out}", f"{PROG} report {out}"]
    ran = cli(*nexts[0].removeprefix(PROG + " ").split())
    assert ran.returncode == 0 and "4 findings" in ran.stdout
    # data/metrics.json: nested, few numbers (dvc metrics show / diff)
    m = json.loads((tmp_path / "metrics.json").read_text("utf-8"))
    assert m == {"documents": {"ok": 1, "partial": 0, "failed": 0, "same_content": 0},
                 "rows": m["rows"], "findings": {"errors": 1, "warnings": 3, "info": 0}}
    assert m["rows"]["indicators"] == 69 and m["rows"]["funds"] == 87


def test_metrics_of_a_summary():
    summary = {"documents_by_status": {"ok": 3, "failed": 1}, "sections": 9, "indicators": 4,
               "findings_by_rule": {"funds_sum:error": 2, "narrative_vs_table:warning": 1},
               "same_content": ["a.txt = a.docx = a.pdf"]}
    m = metrics_of(summary)
    assert m["documents"] == {"ok": 3, "partial": 0, "failed": 1, "same_content": 2}
    assert m["findings"] == {"errors": 2, "warnings": 1, "info": 0}  # ("error" would be DVC's)
    assert m["rows"]["sections"] == 9 and m["rows"]["funds"] == 0


def test_dvc_stage_shows_a_progress_bar_on_a_terminal(tmp_path):
    """dvc repro runs dvc.yaml's extract command with the terminal as its stderr: there, the
    command (no --quiet) draws a progress bar. Run here with stderr on a pseudo-terminal."""
    import fcntl
    import pty
    import re
    import select
    import shlex
    import struct
    import termios

    import yaml
    stage = yaml.safe_load((ROOT / "dvc.yaml").read_text("utf-8"))["stages"]["extract"]["cmd"]
    params = yaml.safe_load((ROOT / "params.yaml").read_text("utf-8"))
    cmd = re.sub(r"\$\{(\w+)\.(\w+)\}", lambda m: str(params[m.group(1)][m.group(2)]), stage)
    assert "--quiet" not in cmd and cmd.startswith("python -m pipeline run data/raw --out data/parquet")
    cmd = cmd.replace("data/parquet", str(tmp_path / "pq")).replace("data/metrics.json", str(tmp_path / "m.json"))
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    argv = [sys.executable, *shlex.split(cmd)[1:], "--no-cache"]
    p = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL)
    os.close(slave)
    out = p.stdout.read().decode("utf-8")
    assert p.wait(timeout=300) == 0
    bar = b""
    while select.select([master], [], [], 0.5)[0]:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        bar += chunk
    os.close(master)
    assert "documents: 100%" in bar.decode("utf-8", "replace") and "2/2" in bar.decode("utf-8", "replace")
    assert "2 documents (2 ok)" in out and "documents:" not in out  # the bar is on stderr only


def test_a_large_batch_summary_lists_a_bounded_number_of_names(tmp_path, capsys):
    """Ten thousand documents must not print ten thousand names: a same-content group shows
    its first names and a count, the failed files the first 20 and a count; every one is in
    the documents dataset (same_content_as, status, error)."""
    from pipeline.cli import GROUP_NAMES, LISTED
    raw = tmp_path / "raw"
    raw.mkdir()
    seed004 = (ROOT / "data" / "raw" / "004_4aa0f758ca959e42.txt").read_bytes()
    for i in range(GROUP_NAMES + 3):  # the same forms, each file with bytes of its own
        (raw / f"copy{i:02d}.txt").write_bytes(seed004 + f"\ncopy {i}\n".encode())
    for i in range(LISTED + 5):       # zip archives that are neither .docx nor .xlsx
        (raw / f"bad{i:02d}.zip").write_bytes(b"PK\x03\x04" + bytes([i]) * 40)
    assert main(["run", str(raw), "--out", str(tmp_path / "pq"), "--workers", "1", "--timeout", "0",
                 "--memory-limit-mb", "0", "--no-cache", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "1 group(s) of files with the same content" in out
    [group] = [ln for ln in out.splitlines() if ln.startswith("  copy00.txt = ")]
    assert group == "  " + " = ".join(f"copy{i:02d}.txt" for i in range(GROUP_NAMES)) + " = … (3 more)"
    assert f"{LISTED + 5} file(s) failed" in out
    listed = [ln for ln in out.splitlines() if ln.startswith("  bad")]
    assert listed == [f"  bad{i:02d}.zip" for i in range(LISTED)]
    assert "  … and 5 more failed files (all in the documents dataset)" in out


def test_python_m_pipeline_leaves_with_the_commands_status_and_all_it_printed(tmp_path):
    """``python -m pipeline`` ends without the interpreter's teardown (``cli.quick_exit``):
    what the command printed is flushed, its exit status kept, its output complete."""
    import shutil

    import duckdb

    from tests.conftest import SEED004
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED004, raw / SEED004.name)
    (raw / "broken.docx").write_bytes(b"PK\x03\x04 not a zip")
    out = tmp_path / "pq"
    res = cli("run", str(raw), "--out", str(out), "--workers", "1", "--no-cache", "--strict",
              "--metrics", str(tmp_path / "m.json"))
    assert res.returncode == 1, res.stderr          # --strict: a file failed
    assert res.stdout.startswith("2 documents (1 failed, 1 ok), 1 sections, 24 indicators"), res.stdout
    assert res.stdout.rstrip().endswith(f"uv run python -m pipeline report {out}   (HTML audit reports)")
    assert json.loads((tmp_path / "m.json").read_text())["documents"] == {"ok": 1, "partial": 0, "failed": 1,
                                                                     "same_content": 0}
    # both documents rows, in the datasets the run swapped in before leaving
    n = duckdb.sql(f"SELECT count(*) FROM read_parquet('{out}/documents/**/*.parquet')").fetchall()[0][0]
    assert n == 2
    res = cli("check", str(out), "--rule", "nosuch")
    assert res.returncode == 2 and res.stderr.startswith("error: unknown rule 'nosuch'")
