"""Figures stated twice must agree: in two attachments of one document, or in two
documents of one unit and year.

* ``cross_attachment_funds`` - a money line of one form restated in another form of the
  same scope (the unit's basic-data table and its overall self-evaluation; a project's
  target table and its self-evaluation): same line label (``项目支出``, ``年度资金总额``),
  same year.  A figure agrees when one of the other form's figures for that line does
  (their columns name measures differently: 2023年决算数 vs 全年执行数); otherwise, if
  the other form states the line for a measure of the same class (budget / spent), the
  finding names its figures and the closest one.
* ``cross_attachment_rate`` - a report's 执行率 (预算执行率, 资金执行率) against the 执行率
  of the forms of the same document.
* ``cross_target`` - an indicator's target in a target table and in a self-evaluation
  (same indicator name) of the same document, or of another document of the same unit,
  year and project: the target values must match.

Scope: unit-level forms (basic_data, overall_self_eval, overall_target) match each other;
project-level forms (project_self_eval, project_target) match when their project names
are the same.  Every finding cites the records and blocks of both statements.
"""
from __future__ import annotations

import re
from typing import Iterator

from .core import Doc, Finding, raw, rule
from .money import dec, half_unit, money_of_fund, written_decimals

UNIT_LEVEL = ("basic_data", "overall_self_eval", "overall_target")
PROJECT_LEVEL = ("project_self_eval", "project_target")
TARGET_FORMS = ("overall_target", "project_target")
SELF_EVAL_FORMS = ("overall_self_eval", "project_self_eval")
_MEASURE_CLASS = {"budget_initial": "budget", "budget_full_year": "budget", "budget": "budget",
                  "executed": "spent", "final": "spent"}
_WS = re.compile(r"\s+")


def _fold(s: str | None) -> str:
    return _WS.sub("", s or "")


def _scope(sec: dict) -> tuple | None:
    """What a section is about: ('unit', year) or ('project', year, project name)."""
    ft = sec.get("form_type")
    if ft in UNIT_LEVEL:
        return ("unit", sec.get("fiscal_year"))
    if ft in PROJECT_LEVEL and _fold(sec.get("project_name")):
        return ("project", sec.get("fiscal_year"), _fold(sec.get("project_name")))
    return None


def _same_scope(a: dict, b: dict) -> bool:
    sa, sb = _scope(a), _scope(b)
    if sa is None or sb is None or sa[0] != sb[0]:
        return False
    if sa[1] and sb[1] and sa[1] != sb[1]:
        return False
    return sa[2:] == sb[2:]


def _line_figures(doc: Doc, sid: str, year) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for f in doc.of_section("funds", sid):
        if dec(f.get("amount_yuan")) is None or not f.get("item"):
            continue
        if year and f.get("period_year") not in (None, year):
            continue
        out.setdefault(f["item"], []).append(f)
    return out


def _agree(a, b) -> bool:
    return abs(a.yuan - b.yuan) <= max(a.tol, b.tol)


@rule("cross_attachment_funds")
def cross_attachment_funds(doc: Doc) -> Iterator[Finding]:
    """A money line restated in another form of the same scope with a different figure."""
    secs = [s for s in doc.sections if _scope(s) is not None]
    for i, a in enumerate(secs):
        for b in secs[i + 1:]:
            if not _same_scope(a, b):
                continue
            year = a.get("fiscal_year") or b.get("fiscal_year")
            fa, fb = _line_figures(doc, a["section_id"], year), _line_figures(doc, b["section_id"], year)
            for item in fa.keys() & fb.keys():
                ma = [(f, money_of_fund(f)) for f in fa[item]]
                for f2 in fb[item]:
                    m2 = money_of_fund(f2)
                    if m2 is None:
                        continue
                    doc.compared("cross_attachment_funds")
                    if any(m is not None and _agree(m, m2) for _, m in ma):
                        continue
                    cls = _MEASURE_CLASS.get(f2.get("measure"))
                    usable = [(f, m) for f, m in ma if m is not None]
                    if not any(_MEASURE_CLASS.get(f.get("measure")) == cls for f, _ in usable):
                        continue  # the other form states this line for other measures only
                    f1, m1 = min(usable, key=lambda c: abs(c[1].yuan - m2.yuan))
                    listed = ", ".join(f"{f.get('measure_raw') or f.get('measure')} {m.written()}{m.unit}"
                                       f" ({f['fund_id']})" for f, m in usable)
                    yield Finding(
                        b["section_id"], "warning",
                        f"{doc.where(b['section_id'])}: {item} {f2.get('measure_raw') or f2.get('measure')} "
                        f"{m2.written()}{m2.unit} ({doc.cell(f2.get('block_id'))}, {f2['fund_id']}) "
                        f"agrees with none of the {item} figures of {doc.where(a['section_id'])}: "
                        f"{listed}; closest {m1.written()}{m1.unit} ({doc.cell(f1.get('block_id'))})",
                        f"{m1.written()}{m1.unit}", f"{m2.written()}{m2.unit}",
                        [f2["fund_id"], f1["fund_id"], f2.get("block_id"), f1.get("block_id")])


def _is_rate_label(label: str | None) -> bool:
    return bool(label) and _fold(label).endswith("执行率")


@rule("cross_attachment_rate")
def cross_attachment_rate(doc: Doc) -> Iterator[Finding]:
    """A report's 执行率 differs from every 执行率 stated in the document's forms."""
    facts = [f for f in doc.facts if f.get("key") == "execution_rate" and dec(f.get("value")) is not None]
    if not facts:
        return
    for m in doc.mentions:
        v = dec(m.get("value"))
        if v is None or m.get("kind") != "percent" or not _is_rate_label(m.get("label")) \
                or m.get("share_of"):
            continue
        others = [f for f in facts if f.get("section_id") != m.get("section_id")]
        if not others:
            continue
        doc.compared("cross_attachment_rate")
        dm = written_decimals(m.get("value_raw")) or 0

        def close(f):
            df = written_decimals(f.get("value_raw")) or 0
            fv = dec(f["value"])
            if 100 in (fv, v) and 0 in (df, dm):  # a written 100% claims a complete rate
                return fv == v
            return abs(fv - v) <= half_unit(min(dm, df))
        if any(close(f) for f in others):
            continue
        f = min(others, key=lambda f: abs(dec(f["value"]) - v))
        yield Finding(
            m.get("section_id"), "warning",
            f"{doc.where(m.get('section_id'))}: the report states {m.get('label')} "
            f"{raw(m, 'value_raw')} ({m['mention_id']}), but "
            f"{doc.where(f['section_id'])} gives 执行率 {raw(f, 'value_raw')} "
            f"({doc.cell(f.get('block_id'))}, {f['fact_id']})",
            raw(f, "value_raw"), raw(m, "value_raw"),
            [m["mention_id"], f["fact_id"], m.get("block_id"), f.get("block_id")])


# ------------------------------------------------------------------------ targets

def _targets(indicators, sections_by_id, forms) -> dict[tuple, list[dict]]:
    out: dict[tuple, list[dict]] = {}
    for ind in indicators:
        sec = sections_by_id.get(ind.get("section_id"))
        if not sec or sec.get("form_type") not in forms:
            continue
        if dec(ind.get("target_value")) is None or ind.get("target_kind") not in ("count", "percent", "money"):
            continue
        key = (_fold(ind.get("name")), ind.get("target_unit"))
        if key[0]:
            out.setdefault(key, []).append(ind)
    return out


def _all_targets(doc: Doc) -> tuple[dict, dict]:
    """Target-table indicators of every document of the run, by name and unit, and the
    sections by id (built once per run)."""
    if "cross_targets" not in doc.shared:
        records = doc.records
        sections = {s["section_id"]: s for s in records.get("sections") or []}
        doc.shared["cross_targets"] = (
            _targets(records.get("indicators") or [], sections, TARGET_FORMS), sections)
    return doc.shared["cross_targets"]


def _same_unit(a: dict, b: dict) -> bool:
    ua, ub = _fold(a.get("unit_name")), _fold(b.get("unit_name"))
    return bool(ua) and ua == ub


@rule("cross_target")
def cross_target(doc: Doc) -> Iterator[Finding]:
    """An indicator's target differs between the target table and the self-evaluation
    (same document, or another document of the same unit, year and project)."""
    targets, sections = _all_targets(doc)
    if not targets:
        return
    mine = _targets(doc.indicators, doc.section, SELF_EVAL_FORMS)
    for key, inds in mine.items():
        for ind in inds:
            sec = doc.section[ind["section_id"]]
            for t in targets.get(key, []):
                tsec = sections.get(t["section_id"])
                if tsec is None or not _same_scope(sec, tsec):
                    continue
                if t.get("doc_id") != doc.doc_id and not _same_unit(sec, tsec):
                    continue
                doc.compared("cross_target")
                tv, sv = dec(t["target_value"]), dec(ind["target_value"])
                if tv == sv and t.get("target_op") == ind.get("target_op") \
                        and dec(t.get("target_upper")) == dec(ind.get("target_upper")):
                    continue
                where_t = doc.where(t["section_id"]) if t.get("doc_id") == doc.doc_id else \
                    f"document {t.get('doc_id')} section {t['section_id']}"
                yield Finding(
                    ind["section_id"], "warning",
                    f"{doc.where(ind['section_id'])}: indicator 「{ind.get('name')}」 has target "
                    f"「{raw(ind, 'target_raw')}」 ({doc.cell(ind.get('target_block'))}, "
                    f"{ind['indicator_id']}), but the target table {where_t} states "
                    f"「{raw(t, 'target_raw')}」 ({t.get('target_block')}, {t['indicator_id']})",
                    raw(t, "target_raw"), raw(ind, "target_raw"),
                    [ind["indicator_id"], t["indicator_id"], ind.get("target_block"), t.get("target_block")])

