"""Form type from what the recognisers found, the title breaking ties.

Evidence, strongest first: a 基础数据 block (staffing, 经费控制情况) → basic_data; an
indicator table with an actual column → self-evaluation, without → target; its scope is
overall where the section states duties (职能职责) or its title says 部门/单位整体, project
where it names a project.  The title decides where the tables do not (goals or funds
only) and settles the scope; ``classified_by`` says which evidence decided: ``title``
when the title agrees with the tables or the tables are silent, ``tables`` when they
fill in for a missing title or contradict it, ``anchors`` as before.
"""
from __future__ import annotations

from ..segment import UNKNOWN, Section, match_text, title_form
from .common import Ctx

FAMILY = {"overall_self_eval": ("overall", "self_eval"), "project_self_eval": ("project", "self_eval"),
          "overall_target": ("overall", "target"), "project_target": ("project", "target")}
TYPE = {v: k for k, v in FAMILY.items()}


def table_evidence(ctx: Ctx) -> str | None:
    """basic_data | self_eval | target from what was parsed, or None."""
    ev = ctx.evidence
    if ev.get("basic_data") and not ctx.indicators:
        return "basic_data"
    if ctx.indicators:
        return "self_eval" if ev.get("actual_column") else "target"
    return None


def _scope(sec: Section, ctx: Ctx) -> str | None:
    title = match_text(sec.title or "")
    if "整体" in title:
        return "overall"
    if any(g["kind"] == "duty" for g in ctx.goals):
        return "overall"
    if ctx.meta.get("project_name") or "项目" in title:
        return "project"
    return None


def decide(sec: Section, ctx: Ctx) -> None:
    """Set ``sec.form_type`` / ``sec.classified_by`` from the tables and the title."""
    if sec.form_type == "self_eval_report":
        return
    found = table_evidence(ctx)
    current = sec.form_type
    by_title = sec.classified_by == "title"
    if found is None:
        return  # the title (or anchors) stand; an undecided section stays unknown
    if found == "basic_data":
        if current != "basic_data":
            sec.form_type, sec.classified_by = "basic_data", "tables"
        return
    scope_now, family_now = FAMILY.get(current, (None, None))
    scope = _scope(sec, ctx) or scope_now or "project"
    new = TYPE[(scope, found)]
    if new == current:
        return  # the tables agree with the title/anchors
    if family_now == found:
        sec.form_type = new  # the title's own words (部门整体) settle the scope
        return
    sec.form_type, sec.classified_by = new, "tables"
    if by_title and current != UNKNOWN:
        ctx.notes.append(f"title names {current} but its indicator table "
                         f"{'has' if found == 'self_eval' else 'has no'} actual column: {new}")


PROSE = 80  # a block this long is narrative text, not a form cell


def report_is_form(sec: Section, ctx: Ctx) -> bool:
    """A section the anchors alone called a report (项目基本概况, 绩效自评) that holds no
    prose, only form tables the recognisers read (``ctx`` parsed as a form): its type is
    taken from those tables (indicators as in :func:`decide`; funds alone: self_eval where
    a line is executed/actual, else target) and ``classified_by`` is ``tables``."""
    if sec.form_type != "self_eval_report" or sec.classified_by != "anchors":
        return False
    if any(len(match_text(b.content)) >= PROSE for b in sec.blocks):
        return False
    found = table_evidence(ctx)
    if found is None and ctx.funds:
        found = "self_eval" if any(f["measure"] != "budget" and not f["measure"].startswith("budget")
                                   for f in ctx.funds) else "target"
    if found not in ("self_eval", "target"):
        return False
    sec.form_type = TYPE[(_scope(sec, ctx) or "project", found)]
    sec.classified_by = "tables"
    ctx.notes.append(f"the anchors name a report, but the section holds only form tables: {sec.form_type}")
    return True


def title_type(text: str | None) -> str | None:
    return title_form(text) if text else None
