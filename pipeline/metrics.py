"""``data/metrics.json``: the run summary as a small nested JSON for ``dvc metrics``.

DVC shows every leaf number as a column (``documents.ok``, ``rows.indicators``,
``findings.errors``…), so the file holds only the few counts worth comparing between
commits (``dvc metrics diff``); the per-rule and per-form counts and the file lists stay
in the printed summary.  Deterministic: sorted keys, no timestamps.
"""
from __future__ import annotations

import json
from pathlib import Path

ROWS = ("sections", "indicators", "funds", "goals", "facts", "mentions")
SEVERITIES = ("error", "warning", "info")


def metrics_of(summary: dict) -> dict:
    """{"documents": {ok, partial, failed, same_content}, "rows": {...}, "findings": {errors,
    warnings, info}}; ``same_content`` counts the files left out of sums because another file
    of the batch holds the same forms (documents.same_content_as)."""
    by_status = summary.get("documents_by_status") or {}
    findings = {s: 0 for s in SEVERITIES}
    for key, n in (summary.get("findings_by_rule") or {}).items():
        sev = key.rsplit(":", 1)[-1]
        findings[sev] = findings.get(sev, 0) + n
    # plural keys: DVC takes a key named "error" for a failure to load the file
    findings = {f"{s}s" if s in ("error", "warning") else s: n for s, n in findings.items()}
    return {
        "documents": {"ok": by_status.get("ok", 0), "partial": by_status.get("partial", 0),
                      "failed": by_status.get("failed", 0),
                      "same_content": sum(g.count(" = ") for g in summary.get("same_content") or [])},
        "rows": {name: summary.get(name, 0) for name in ROWS},
        "findings": findings,
    }


def write_metrics(path: Path | str, summary: dict) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(metrics_of(summary), indent=2, sort_keys=False) + "\n", "utf-8")
