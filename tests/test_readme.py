"""What README.md tells a new user, checked against the code: the set-up command CI runs,
the commands it shows, its SQL, and the figures it states about the seeds."""
from __future__ import annotations

import re
from pathlib import Path

import duckdb

from tests.conftest import D000, ROOT

README = (ROOT / "README.md").read_text("utf-8")


def code_blocks(lang: str, text: str = README) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```", text, flags=re.S | re.M)


def setup_command() -> str:
    """The first ```bash block under '## The two commands' (.ci/run runs it in a clone)."""
    part = README[README.index("## The two commands"):]
    return code_blocks("bash", part)[0]


def readme_statements() -> list[str]:
    """The SQL statements of the README, each with its leading comment."""
    return [s.strip() for block in code_blocks("sql") for s in re.split(r";\s*$", block, flags=re.M) if s.strip()]


def readme_query(marker: str, parquet_dir: Path) -> list[tuple]:
    """Run the README statement whose comment contains ``marker`` on ``parquet_dir``."""
    [sql] = [s for s in readme_statements() if marker in s.splitlines()[0]]
    return duckdb.sql(sql.replace("'data/parquet/", f"'{Path(parquet_dir).as_posix()}/")).fetchall()


def test_setup_command_needs_no_system_pip_and_no_dev_tools():
    cmd = setup_command()
    assert "python3 -m venv" in cmd and "python3 -m pip" not in cmd and "sudo" not in cmd
    assert "sync --frozen --no-dev" in cmd and "run --no-dev dvc repro" in cmd
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "## The two commands" in ci, ".ci/run runs the README's set-up command, read from README.md"


def test_every_pipeline_command_shown_runs_through_uv():
    shown = [line for block in code_blocks("bash") for line in block.splitlines()]
    shown += re.findall(r"`([^`\n]*python -m pipeline[^`\n]*)`", README)
    calls = [line for line in shown if "python -m pipeline" in line or "queries/run.py" in line]
    assert len(calls) >= 5
    assert all(re.search(r"\buv run (--no-dev )?python ", line) for line in calls), calls


def test_readme_queries_run_on_the_seeds(parquet_dir):
    stmts = readme_statements()
    assert len(stmts) == 3
    for s in stmts:
        duckdb.sql(s.replace("'data/parquet/", f"'{parquet_dir.as_posix()}/")).fetchall()
    ids = [r[1] for r in readme_query("every indicator", parquet_dir) if r[1].startswith(f"{D000}:2:")]
    assert ids[:11] == [f"{D000}:2:i{n}" for n in range(1, 12)]  # i1, i2, … i10, i11: natural order


def test_the_example_id_is_what_the_readme_says(published):
    """'`806e84d27ac093d9:2:i2` is the second indicator (国家免疫规划类疫苗接种, 108389人次 → 108526人次)'."""
    m = re.search(r"`(\w{16}:2:i2)` is the second indicator \((\S+),\s+(\S+)\s+→\s+(\S+)\)", README)
    assert m, "the README explains an example id"
    [ind] = [i for i in published["indicators"] if i["indicator_id"] == m.group(1)]
    assert (ind["name"], ind["target_raw"].strip(), ind["actual_raw"].strip()) == m.group(2, 3, 4)
    assert m.group(1) in README.split("## Using it")[1].split("##")[0]


def test_stated_finding_count_of_the_seeds(published):
    m = re.search(r"on the two seeds of `data/raw/` it lists (\d+) findings", README)
    assert m, "the README states what `check` finds on the seeds"
    assert int(m.group(1)) == len(published["checks"])


def test_stated_corpus_coverage_matches_the_corpus_test():
    from tests.test_corpus import KNOWN_MISSES
    m = re.search(r"Of the (\d+) dev-corpus excerpts, (\d+) have all their forms recognised", README)
    assert m
    assert (int(m.group(1)), int(m.group(2))) == (45, 45 - len(KNOWN_MISSES))


def test_layout_names_in_the_readme_are_the_published_ones():
    from pipeline.schema import description
    known = set(re.findall(r"[a-z]+(?:_[a-z]+)+|flat", description("documents", "layout")))
    named = set(re.findall(r"`([a-z_]+)` (?:pages|layout)", README))
    assert named and named <= known, (named, known)


def test_the_duckdb_command_line_runs_a_query_file(parquet_dir):
    """`sed 's#{parquet}#data/parquet#g' queries/execution_rate.sql | uv run duckdb`, as shown."""
    import subprocess
    import sys
    m = re.search(r"`sed 's#\{parquet\}#data/parquet#g' (queries/\S+\.sql) \| uv run duckdb`", README)
    assert m, "the README shows how to run a query file with the duckdb CLI"
    duckdb_cli = Path(sys.executable).parent / "duckdb"
    assert duckdb_cli.exists(), "the duckdb CLI (PyPI duckdb-cli) is a runtime dependency"
    sql = (ROOT / m.group(1)).read_text("utf-8").replace("{parquet}", parquet_dir.as_posix())
    res = subprocess.run([str(duckdb_cli), "-csv"], input=sql, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    # seed 000 附件3 从业人员预防性体检: 120 of 120万元, 执行率 100%
    assert "从业人员预防性体检" in res.stdout and "100.00" in res.stdout


def test_results_md_states_what_the_pipeline_gives_on_the_seeds(published):
    """benchmarks/RESULTS.md's table from benchmarks/figures.py: its seeds row is today's output
    (regenerate with `uv run python benchmarks/figures.py` when this fails)."""
    results = (ROOT / "benchmarks" / "RESULTS.md").read_text("utf-8")
    head = "| workload | docs | ok | partial | failed | sections | indicators | funds | findings |"
    assert head in results
    [seeds] = [line for line in results.splitlines() if line.startswith("| seeds | 2 | ")
               and results.index(line) > results.index(head)][:1]
    cells = [c.strip() for c in seeds.strip("|").split("|")]
    docs = published["documents"]
    want = ["seeds", len(docs), sum(d["status"] == "ok" for d in docs), sum(d["status"] == "partial" for d in docs),
            sum(d["status"] == "failed" for d in docs), len(published["sections"]), len(published["indicators"]),
            len(published["funds"]), len(published["checks"])]
    assert cells[:9] == [str(w) for w in want]
