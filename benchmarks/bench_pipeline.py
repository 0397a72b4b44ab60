"""End-to-end speed, memory and incremental cost of ``python -m pipeline run`` (not a test).

    uv run python benchmarks/bench_pipeline.py throughput [--docs 1000] [--workers 1 2] [--repeat 3]
    uv run python benchmarks/bench_pipeline.py mix [--docs 100] [--workers 2]
    uv run python benchmarks/bench_pipeline.py memory [--docs 1000 10000]
    uv run python benchmarks/bench_pipeline.py dvc [--docs 1000] [--stages extract|all]
    uv run python benchmarks/bench_pipeline.py startup [--repeat 5]
    uv run python benchmarks/bench_pipeline.py dask [--docs 1000] [--repeat 1]
    uv run python benchmarks/bench_pipeline.py cached [--docs 1000] [--repeat 3]
    uv run python benchmarks/bench_pipeline.py cpu [--docs 1000] [--workers 1 2] [--repeat 2]
    uv run python benchmarks/bench_pipeline.py report [--docs 1000] [--repeat 3] [--baseline DIR]

Every figure is a whole process (``python -m pipeline run RAW --out OUT --quiet``, start-up
and Parquet writing included), runs of different settings interleaved, medians reported.

Workloads (made in a temporary folder, nothing written to the repository):
  txt   N dev-sized .txt documents: the files of ../shared/corpus/dev cycled, each copy
        given its own bytes by an appended line ``bench copy k`` (so nothing is a copy)
  mix   10% pdf / 20% docx / 10% xlsx / 10% html / 50% txt from ../shared/samples and the
        corpus, each copy with its own bytes (a trailing comment for PDF and HTML, the zip
        comment for .docx/.xlsx)
memory  peak proportional set size of the process tree (parent + workers, pages shared
        by fork counted once; sampled every 50 ms) and peak RSS of the largest process
dvc     a throw-away DVC project (the extract stage of dvc.yaml over N txt documents):
        ``dvc repro`` from scratch, then one document added and ``dvc repro`` again
cached  the execution layer alone (frozen code copy): N documents into the cache, the same
        run with every document cached, and with one document added
startup ``run`` on a folder with one short document and on an empty folder (--allow-empty)
report  ``python -m pipeline report`` on the datasets of N txt documents (built with
        ``pipeline run``): CPU seconds of a full report (empty reports folder), of one on
        the unchanged folder, and after one document is added (the datasets replaced by
        those of N + 1 documents written elsewhere; and ``pipeline run`` into the same
        folder, unchanged files hard-linked); ``--baseline DIR``
        also times the report code of another checkout (e.g. ``git worktree add DIR main``),
        interleaved
cpu     CPU time (user + sys), not wall clock: ``pipeline.run.run`` in a child process on
        N txt documents, the parent's own CPU and its workers' (reaped children) per
        document; meaningful on a loaded machine where wall-clock figures are not
"""
from __future__ import annotations

import argparse
import io
import json
import resource
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLES = SHARED / "samples"
CORPUS = SHARED / "corpus" / "dev"
PY = sys.executable
# as an installed package runs: byte-code cached (this VM sets PYTHONDONTWRITEBYTECODE=1,
# which makes every process compile spaCy and the pipeline from source: +2-3 s a process)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def corpus_texts() -> list[bytes]:
    return [f.read_bytes() for f in sorted(CORPUS.glob("r*.txt"))]


def make_txt(dest: Path, n: int) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    texts = corpus_texts()
    for i in range(n):
        data = texts[i % len(texts)]
        data = (data if data.endswith(b"\n") else data + b"\n") + f"bench copy {i}\n".encode()
        (dest / f"d{i:06d}.txt").write_bytes(data)
    return dest


def _variant(data: bytes, ext: str, k: int) -> bytes:
    if ext in ("docx", "xlsx"):
        src = zipfile.ZipFile(io.BytesIO(data))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for info in src.infolist():
                z.writestr(info, src.read(info))
            z.comment = f"bench copy {k}".encode()
        return buf.getvalue()
    if ext == "pdf":
        return data + f"\n% bench copy {k}\n".encode()
    if ext == "html":
        return data + f"\n<!-- bench copy {k} -->\n".encode()
    return data + f"\nbench copy {k}\n".encode()


def make_mix(dest: Path, n: int) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    pools = {ext: [p.read_bytes() for p in sorted(SAMPLES.glob(f"*.{ext}"))] for ext in ("pdf", "docx", "xlsx", "html")}
    pools["txt"] = corpus_texts()
    shares = [("pdf", 0.1), ("docx", 0.2), ("xlsx", 0.1), ("html", 0.1), ("txt", 0.5)]
    k = 0
    for ext, share in shares:
        for i in range(round(n * share)):
            data = pools[ext][i % len(pools[ext])]
            (dest / f"{ext}{i:05d}.{ext}").write_bytes(_variant(data, ext, k))
            k += 1
    return dest


class PeakRSS:
    """Peak RSS of a process tree, sampled in a thread."""

    def __init__(self, pid: int):
        import psutil
        self.proc = psutil.Process(pid)
        self.tree = self.single = self.parent = self.worker = 0
        self.stop = False
        self.t = threading.Thread(target=self._loop, daemon=True)
        self.t.start()

    def _loop(self):
        import psutil
        while not self.stop:
            try:
                procs = [self.proc] + self.proc.children(recursive=True)
                rss, pss = [], []
                for p in procs:
                    try:
                        m = p.memory_full_info()  # PSS: pages shared by fork counted once
                        rss.append(m.rss)
                        pss.append(m.pss)
                    except psutil.Error:
                        pass
                self.tree = max(self.tree, sum(pss))
                self.single = max(self.single, max(rss, default=0))
                if pss:  # the parent (merger, writer) and the largest worker, apart
                    self.parent = max(self.parent, pss[0])
                    self.worker = max(self.worker, max(pss[1:], default=0))
            except psutil.Error:
                pass
            time.sleep(0.05)

    def close(self):
        self.stop = True
        self.t.join()


def frozen_code(tmp: Path) -> Path:
    """A copy of the code, so a long run is not disturbed by edits to the work tree."""
    proj = tmp / "code"
    if not proj.exists():
        for pkg in ("pipeline", "extractors", "normalizers"):
            shutil.copytree(ROOT / pkg, proj / pkg, ignore=shutil.ignore_patterns("__pycache__"))
    return proj


LAST_CPU = 0.0  # CPU seconds of the last pipeline_run's process tree


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def pipeline_run(raw: Path, out: Path, workers: int, extra: list[str] = (), memory: bool = False,
                 code: Path = ROOT):
    cmd = [PY, "-m", "pipeline", "run", str(raw), "--out", str(out), "--workers", str(workers),
           "--quiet", "--no-cache", *extra]
    t0 = time.perf_counter()
    c0 = _children_cpu()
    env = dict(ENV, PYTHONPATH=str(code)) if code != ROOT else ENV
    p = subprocess.Popen(cmd, cwd=code, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    peak = PeakRSS(p.pid) if memory else None
    out_, err = p.communicate()
    dt = time.perf_counter() - t0
    global LAST_CPU
    LAST_CPU = _children_cpu() - c0  # the whole process tree (workers are reaped)
    if peak:
        peak.close()
    if p.returncode not in (0, 1) or " documents (" not in out_:
        raise SystemExit(f"run failed ({p.returncode}): {err[-2000:]}")
    shutil.rmtree(out, ignore_errors=True)
    return dt, (peak.tree, peak.single, peak.parent, peak.worker) if peak else None, \
        out_.splitlines()[0] if out_ else ""


def cmd_throughput(a, tmp: Path) -> None:
    raw = make_txt(tmp / "txt", a.docs)
    times = {w: [] for w in a.workers}
    cpus = {w: [] for w in a.workers}
    loads = []
    for r in range(a.repeat):
        for w in a.workers:  # interleaved
            loads.append(os.getloadavg()[0])
            t, _, line = pipeline_run(raw, tmp / "out", w, code=frozen_code(tmp))
            times[w].append(t)
            cpus[w].append(LAST_CPU)
            print(f"  run {r + 1} workers={w}: {t:.2f} s, {LAST_CPU:.2f} s CPU, load {loads[-1]:.1f} ({line})",
                  file=sys.stderr)
    print(f"load average (1 min) at the runs' starts: {min(loads):.1f}-{max(loads):.1f}\n")
    print("| workload | docs | workers | runs (s) | median s | docs/s | CPU ms/doc (process tree, median) |\n"
          "| --- | --- | --- | --- | --- | --- | --- |")
    med = {}
    for w in a.workers:
        med[w] = statistics.median(times[w])
        print(f"| txt | {a.docs} | {w} | {', '.join(f'{t:.2f}' for t in times[w])} | {med[w]:.2f} | "
              f"{a.docs / med[w]:.0f} | {statistics.median(cpus[w]) / a.docs * 1000:.1f} |")
    if 1 in med and 2 in med:
        print(f"\nspeed-up of 2 workers over 1: {med[1] / med[2]:.2f}×")


_CPU_CHILD = """
import json, os, resource, sys
from pathlib import Path
from pipeline.run import run
s = run(Path(sys.argv[1]), Path(sys.argv[2]), workers=int(sys.argv[3]), timeout=300, progress=False)
me, ch = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"docs": s["documents"], "parent": me.ru_utime + me.ru_stime,
                  "workers": ch.ru_utime + ch.ru_stime}))
"""


def cmd_cpu(a, tmp: Path) -> None:
    """The parent's and the workers' CPU per document (interleaved runs, medians)."""
    raw = make_txt(tmp / "txt", a.docs)
    code = frozen_code(tmp)
    res = {w: [] for w in a.workers}
    loads = []
    for r in range(a.repeat):
        for w in a.workers:
            loads.append(os.getloadavg()[0])
            p = subprocess.run([PY, "-c", _CPU_CHILD, str(raw), str(tmp / "out"), str(w)], cwd=code,
                               env=dict(ENV, PYTHONPATH=str(code)), capture_output=True, text=True)
            if p.returncode:
                raise SystemExit(p.stderr[-2000:])
            d = json.loads(p.stdout.strip().splitlines()[-1])
            res[w].append(d)
            shutil.rmtree(tmp / "out", ignore_errors=True)
            print(f"  run {r + 1} workers={w}: parent {d['parent']:.2f} s, workers {d['workers']:.2f} s CPU, "
                  f"load {loads[-1]:.1f}", file=sys.stderr)
    print(f"load average (1 min) at the runs' starts: {min(loads):.1f}-{max(loads):.1f}\n")
    print("| docs | workers | parent CPU ms/doc | workers CPU ms/doc | total CPU ms/doc |\n| --- | --- | --- | --- | --- |")
    for w in a.workers:
        p = statistics.median(d["parent"] for d in res[w]) / a.docs * 1000
        c = statistics.median(d["workers"] for d in res[w]) / a.docs * 1000
        print(f"| {a.docs} | {w} | {p:.2f} | {c:.2f} | {p + c:.2f} |")


def cmd_mix(a, tmp: Path) -> None:
    """Wall clock of whole runs, and their CPU time (user + system of the run's process
    tree, from ``getrusage(RUSAGE_CHILDREN)``): on a shared machine the wall clock says
    how busy the others were; CPU seconds / cores is what a machine of its own needs."""
    import resource
    raw = make_mix(tmp / "mix", a.docs)
    n = len(list(raw.iterdir()))
    print("| workload | docs | workers | runs (s) | median s | docs/s | CPU s (median) | docs per CPU s |"
          "\n| --- | --- | --- | --- | --- | --- | --- | --- |")
    for w in a.workers:
        ts, cpus = [], []
        for _ in range(a.repeat):
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t, _, line = pipeline_run(raw, tmp / "out", w)
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
            ts.append(t)
            cpus.append(cpu)
            print(f"  workers={w}: {t:.2f} s, CPU {cpu:.2f} s ({line})", file=sys.stderr)
        m, c = statistics.median(ts), statistics.median(cpus)
        print(f"| mix | {n} | {w} | {', '.join(f'{t:.2f}' for t in ts)} | {m:.2f} | {n / m:.1f} | "
              f"{c:.2f} | {n / c:.1f} |")


def cmd_memory(a, tmp: Path) -> None:
    print("| docs | workers | seconds | CPU s (user+sys, tree) | peak PSS, process tree | peak PSS, parent "
          "| peak PSS, largest worker | peak RSS, largest process |\n| --- | --- | --- | --- | --- | --- | --- | --- |")
    for n in a.docs_list:
        raw = make_txt(tmp / f"m{n}", n)
        c0 = os.times()
        t, (tree, single, parent, worker), _ = pipeline_run(raw, tmp / "out", a.workers[0], memory=True,
                                                            code=frozen_code(tmp))
        c1 = os.times()
        cpu = (c1.children_user - c0.children_user) + (c1.children_system - c0.children_system)
        print(f"| {n} | {a.workers[0]} | {t:.1f} | {cpu:.1f} | {tree / 2**20:.0f} MiB | {parent / 2**20:.0f} MiB "
              f"| {worker / 2**20:.0f} MiB | {single / 2**20:.0f} MiB |", flush=True)
        shutil.rmtree(raw)


def cmd_dvc(a, tmp: Path) -> None:
    proj = tmp / "proj"
    proj.mkdir()
    for pkg in ("pipeline", "extractors", "normalizers"):
        shutil.copytree(ROOT / pkg, proj / pkg, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "params.yaml", proj / "params.yaml")
    dvc_yaml = (ROOT / "dvc.yaml").read_text("utf-8")
    if a.stages == "extract":
        dvc_yaml = dvc_yaml.split("\n  report:")[0] + "\n"
    (proj / "dvc.yaml").write_text(dvc_yaml.split("\n# Field accuracy")[0] + "\n", "utf-8")
    make_txt(proj / "data" / "raw", a.docs)
    dvc = [str(Path(PY).with_name("dvc"))]
    env = dict(ENV, PYTHONPATH=str(proj))
    subprocess.run(dvc + ["init", "--no-scm", "-q"], cwd=proj, check=True)
    shutil.copy(ROOT / ".dvcignore", proj / ".dvcignore")  # as in the repository (after init, which writes one)

    def timed(*args) -> tuple[float, float]:
        """(wall s, CPU s user+sys of the process tree)"""
        c0, t0 = os.times(), time.perf_counter()
        subprocess.run(dvc + list(args), cwd=proj, check=True, env=env, stdout=subprocess.DEVNULL)
        c1 = os.times()
        return time.perf_counter() - t0, (c1.children_user - c0.children_user) + (c1.children_system - c0.children_system)

    full = timed("repro", "-q")
    added = corpus_texts()[0] + b"\nthe added document\n"
    (proj / "data" / "raw" / "added.txt").write_bytes(added)
    inc = timed("repro", "-q")
    status = timed("status", "-q")
    print("| step | wall s | CPU s (user+sys) |\n| --- | --- | --- |")
    print(f"| dvc repro ({a.stages} stages), {a.docs} documents, empty cache | {full[0]:.2f} | {full[1]:.2f} |")
    print(f"| dvc repro after adding one document | {inc[0]:.2f} ({inc[0] / full[0] * 100:.1f}%) "
          f"| {inc[1]:.2f} ({inc[1] / full[1] * 100:.1f}% of the full run) |")
    print(f"| dvc status (nothing to do; DVC's own start-up and hashing) | {status[0]:.2f} | {status[1]:.2f} |")


def cmd_cached(a, tmp: Path) -> None:
    """The execution layer alone: a frozen copy of the code (so the cache fingerprint holds
    while others edit the tree), N documents processed into the cache, then the same run
    with every document cached (merge + write only), then with one document added."""
    proj = tmp / "proj"
    for pkg in ("pipeline", "extractors", "normalizers"):
        shutil.copytree(ROOT / pkg, proj / pkg, ignore=shutil.ignore_patterns("__pycache__"))
    raw = make_txt(tmp / "txt", a.docs)
    env = dict(ENV, PYTHONPATH=str(proj))

    def timed(*extra) -> float:
        cmd = [PY, "-m", "pipeline", "run", str(raw), "--out", str(tmp / "out"), "--workers",
               str(a.workers[0]), "--quiet", "--cache", str(tmp / "interim"), *extra]
        t0 = time.perf_counter()
        r = subprocess.run(cmd, cwd=proj, env=env, capture_output=True, text=True)
        if " documents (" not in r.stdout:
            raise SystemExit(r.stderr[-2000:])
        return time.perf_counter() - t0

    full = timed()
    hits = [timed() for _ in range(a.repeat)]
    (raw / "added.txt").write_bytes(corpus_texts()[0] + b"\nthe added document\n")
    inc = timed()
    h = statistics.median(hits)
    print("| run | seconds | docs/s |\n| --- | --- | --- |")
    print(f"| {a.docs} documents, empty cache, {a.workers[0]} workers | {full:.2f} | {a.docs / full:.1f} |")
    print(f"| the same, every document cached (median of {a.repeat}) | {h:.2f} | {a.docs / h:.0f} |")
    print(f"| one document added | {inc:.2f} ({inc / full * 100:.1f}% of the full run) | |")


def cmd_startup(a, tmp: Path) -> None:
    one = tmp / "one"
    one.mkdir()
    (one / "a.txt").write_text("项目名称\t测试\n", "utf-8")
    empty = tmp / "empty"
    empty.mkdir()
    res = {"import pipeline.cli": [], "run, empty folder": [], "run, one short document (1 worker)": [],
           "run, one short document (2 workers)": []}
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        subprocess.run([PY, "-c", "import pipeline.cli"], cwd=ROOT, check=True, env=ENV)
        res["import pipeline.cli"].append(time.perf_counter() - t0)
        res["run, empty folder"].append(pipeline_run(empty, tmp / "out", 1, ["--allow-empty"])[0])
        res["run, one short document (1 worker)"].append(pipeline_run(one, tmp / "out", 1)[0])
        res["run, one short document (2 workers)"].append(pipeline_run(one, tmp / "out", 2)[0])
    print("| what | median s |\n| --- | --- |")
    for k, v in res.items():
        print(f"| {k} | {statistics.median(v):.2f} |")


def cmd_dask(a, tmp: Path) -> None:
    """The local pool and a Dask LocalCluster of the same worker count on the same
    documents (frozen code, --no-cache), interleaved; every output file compared."""
    raw = make_txt(tmp / "txt", a.docs)
    code = frozen_code(tmp)
    env = dict(ENV, PYTHONPATH=str(code))
    res = {"local pool": [], "dask LocalCluster": []}
    same = []
    for _ in range(a.repeat):
        outs = {}
        for name, extra in (("local pool", ["--scheduler", "pool"]), ("dask LocalCluster", ["--scheduler", "local"])):
            out = tmp / name.replace(" ", "_")
            cmd = [PY, "-m", "pipeline", "run", str(raw), "--out", str(out), "--workers", str(a.workers[0]),
                   "--quiet", "--no-cache", *extra]
            c0, t0 = os.times(), time.perf_counter()
            r = subprocess.run(cmd, cwd=code, env=env, capture_output=True, text=True)
            dt, c1 = time.perf_counter() - t0, os.times()
            if " documents (" not in r.stdout:
                raise SystemExit(r.stderr[-2000:])
            cpu = (c1.children_user - c0.children_user) + (c1.children_system - c0.children_system)
            res[name].append((dt, cpu))
            outs[name] = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
            print(f"  {name}: {dt:.2f} s, CPU {cpu:.1f} s ({r.stdout.splitlines()[0]})", file=sys.stderr)
        fa, fb = outs["local pool"], outs["dask LocalCluster"]
        same.append(list(fa) == list(fb) and all(fa[k] == fb[k] for k in fa))
        for name in outs:
            shutil.rmtree(tmp / name.replace(" ", "_"))
    print("| backend | docs | workers | runs (s) | median s | docs/s | CPU s of the parent's children (median) |\n"
          "| --- | --- | --- | --- | --- | --- | --- |")
    for name, v in res.items():
        m = statistics.median(t for t, _ in v)
        print(f"| {name} | {a.docs} | {a.workers[0]} | {', '.join(f'{t:.2f}' for t, _ in v)} | {m:.2f} "
              f"| {a.docs / m:.0f} | {statistics.median(c for _, c in v):.1f} |")
    print(f"\nbyte-identical datasets (every file under --out): {', '.join('yes' if s else 'NO' for s in same)}")


def _report(code: Path, pq_dir: Path, out: Path) -> tuple[float, float]:
    """(wall s, CPU s user+sys) of ``python -m pipeline report PQ --out OUT`` with ``code``."""
    env = dict(ENV, PYTHONPATH=str(code)) if code != ROOT else ENV
    c0, t0 = os.times(), time.perf_counter()
    r = subprocess.run([PY, "-m", "pipeline", "report", str(pq_dir), "--out", str(out)], cwd=code, env=env,
                       capture_output=True, text=True)
    dt, c1 = time.perf_counter() - t0, os.times()
    if r.returncode:
        raise SystemExit(r.stderr[-2000:])
    return dt, (c1.children_user - c0.children_user) + (c1.children_system - c0.children_system)


def _run_into(raw: Path, out: Path, a, tmp: Path) -> None:
    r = subprocess.run([PY, "-m", "pipeline", "run", str(raw), "--out", str(out), "--workers",
                        str(a.workers[0]), "--quiet", "--cache", str(tmp / "interim")],
                       cwd=ROOT, env=ENV, capture_output=True, text=True)
    if " documents (" not in r.stdout:
        raise SystemExit(r.stderr[-2000:])


def cmd_report(a, tmp: Path) -> None:
    """Per repeat and code: a full report, one on the unchanged folder, one after the
    datasets were replaced by those of N + 1 documents written elsewhere (every file new,
    as a rewrite of all gives), and one after ``pipeline run`` of the N + 1 documents into
    the same folder (the extract stage: unchanged files hard-linked from the previous
    output).  This code's kept report is then compared with a fresh one, file by file."""
    raw = make_txt(tmp / "txt", a.docs)
    raw_added = tmp / "txt_added"
    shutil.copytree(raw, raw_added)
    (raw_added / "added.txt").write_bytes(corpus_texts()[0] + b"\nthe added document\n")
    base, added = tmp / "pq_base", tmp / "pq_added"
    _run_into(raw, base, a, tmp)
    _run_into(raw_added, added, a, tmp)
    codes = ([("baseline", Path(a.baseline).resolve())] if a.baseline else []) + [("this code", ROOT)]
    steps = ("full", "unchanged", "one added, every file rewritten", "one added, extract stage (hard links)")
    res = {(c, s): [] for c, _ in codes for s in steps}
    same = []
    work, out = tmp / "pq", tmp / "reports"
    for i in range(a.repeat):
        for name, code in codes:
            for d in (work, out):
                shutil.rmtree(d, ignore_errors=True)
            shutil.copytree(base, work)
            res[name, steps[0]].append(_report(code, work, out))
            res[name, steps[1]].append(_report(code, work, out))
            shutil.rmtree(work)
            shutil.copytree(added, work)   # new files (new inodes), unchanged ones with the same bytes
            res[name, steps[2]].append(_report(code, work, out))
            shutil.rmtree(work)
            shutil.copytree(base, work)
            _report(code, work, out)
            _run_into(raw_added, work, a, tmp)
            res[name, steps[3]].append(_report(code, work, out))
            print(f"  run {i + 1} {name}: " + ", ".join(f"{s} {res[name, s][-1][1]:.2f}" for s in steps)
                  + f" s CPU (load {os.getloadavg()[0]:.1f})", file=sys.stderr)
            if code == ROOT:
                _report(code, work, tmp / "fresh")
                names = sorted(p.name for p in out.iterdir() if p.name != ".state.json")
                same.append(names == sorted(p.name for p in (tmp / "fresh").iterdir() if p.name != ".state.json")
                            and all((out / n).read_bytes() == (tmp / "fresh" / n).read_bytes() for n in names))
                shutil.rmtree(tmp / "fresh")
    print(f"| code | report run | {a.docs} documents: CPU s user+sys (median of {a.repeat}) | wall s (median) |\n"
          "| --- | --- | --- | --- |")
    for name, _ in codes:
        for s in steps:
            v = res[name, s]
            print(f"| {name} | {s} | {statistics.median(c for _, c in v):.2f} | "
                  f"{statistics.median(t for t, _ in v):.2f} |")
    print(f"\nreport kept after adding a document equals a fresh one, file by file: "
          f"{', '.join('yes' if s else 'NO' for s in same)}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("what", choices=["throughput", "mix", "memory", "dvc", "startup", "dask", "cached", "cpu",
                                       "report"])
    ap.add_argument("--docs", type=int, nargs="+", default=None)
    ap.add_argument("--workers", type=int, nargs="+", default=None)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--stages", choices=["extract", "all"], default="all",
                    help="dvc: the extract stage alone, or extract + report")
    ap.add_argument("--baseline", default=None, metavar="DIR",
                    help="report: also time the pipeline package of this checkout (e.g. a worktree of main)")
    a = ap.parse_args()
    defaults = {"throughput": ([1000], [1, 2]), "mix": ([100], [2]), "memory": ([1000, 10000], [2]),
                "dvc": ([1000], [2]), "cached": ([1000], [2]), "startup": ([1], [1]), "dask": ([1000], [2]),
                "cpu": ([1000], [1, 2]), "report": ([1000], [2])}[a.what]
    a.docs_list = a.docs or defaults[0]
    a.docs = a.docs_list[0]
    a.workers = a.workers or defaults[1]
    tmp = Path(tempfile.mkdtemp(prefix="bench_pipeline_"))
    try:
        globals()[f"cmd_{a.what}"](a, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
