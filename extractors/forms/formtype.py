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


def title_type(text: str | None) -> str | None:
    return title_form(text) if text else None
