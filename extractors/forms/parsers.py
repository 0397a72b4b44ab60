"""Form parsers: one per form type, all reading the same section model.

Each walks the section's tables row by row and hands a row to the part of the form it
opens (funds header, goal header, indicator header, staffing header, …).  What no part
claims is reported in the section status, never dropped silently.
"""
from __future__ import annotations

import regex as re

from normalizers import parse_date, parse_quantity, to_halfwidth

from ..model import CELL, Block
from ..segment import Section
from .common import read, Ctx, fold, match_role, vocab
from .allocation import parse_allocation
from .common import clean_label
from .funds import (breakdown_header_lines, breakdown_headers, fund_item, header_unit, is_fund_line_label, is_funds_header,
                    parse_amount_pair,
                    parse_breakdown_row, parse_expenditure_table, parse_funds_block,
                    parse_total_cell)
from .goals import goal_row_kind, is_goal_header, pair_items, paragraph_goals, parse_goal_block
from .facts import label_value_facts
from ..tables import Header, dense_rows
from .indicators import indicator_header, looks_like_indicator_row, parse_indicator_table
from .formtype import decide, report_is_form
from .lines import parse_column_subline
from .metadata import read_metadata
from .moneytable import parse_money_table

_YEAR_IN_TITLE = re.compile(r"(20\d\d)\s*年")
_YEAR_DIGITS = re.compile(r"20\d\d")
_YEAR = re.compile(r"(?<!\d)(20\d\d)\s*年")
_YEAR_NOT_DATE = re.compile(r"(?<!\d)(20\d\d)\s*年(?!\s*\d{1,2}\s*月)")
_TITLE_PROJECT = re.compile(r"报告[(（](.+)[)）]$")
_YEAR_LINE = re.compile(r"[(（]\s*20\d\d\s*年度?\s*[)）]")


def section_meta(ctx: Ctx) -> None:
    """Unit, project, 主管部门, 实施单位, 填表人, phone, date (forms/metadata.py), fiscal year."""
    sec = ctx.section
    read_metadata(ctx, lambda t: t.rows())
    meta = ctx.meta

    # a report's date line (2024年06月04日) near its title
    if sec.form_type == "self_eval_report" and not meta.get("filled_date"):
        for p in sec.paragraphs()[:6]:
            d = parse_date(p.text.strip())
            if d:
                meta["filled_date"] = d
                break
    for b in sec.blocks[:12]:  # '(2020年度)': the title's second line
        if _YEAR_LINE.fullmatch(b.text.strip()):
            ctx.claim(b)
            meta.setdefault("fiscal_year", int(_YEAR_DIGITS.search(b.text).group(0)))
    title = sec.title or ""
    m = _YEAR_IN_TITLE.search(title.replace(" ", ""))
    if m:
        meta["fiscal_year"] = int(m.group(1))  # the title's year wins
    years = set(_YEAR_IN_TITLE.findall(meta.get("project_period") or ""))
    if "fiscal_year" not in meta and len(years) == 1:
        meta["fiscal_year"] = int(years.pop())  # 项目起止时间 2020年元月起至2020年12月止
    if "fiscal_year" not in meta and sec.form_type != "self_eval_report":
        lead = []  # the notice before the form (现将2023年…资金下达给你们): its one year
        for b in sec.blocks:
            if b.kind == CELL:
                break
            lead.append(b.text)
        years = set(_YEAR.findall(to_halfwidth("\n".join(lead))))
        if len(years) == 1:
            meta["fiscal_year"] = int(years.pop())
    if "fiscal_year" not in meta and sec.form_type == "self_eval_report":
        # a report whose title names no year: the one year its text speaks of (a date such as
        # the signature's 2018年06月05日 is not a fiscal year); none where it names several
        years = set(_YEAR_NOT_DATE.findall(to_halfwidth("\n".join(b.text for b in sec.blocks))))
        if len(years) == 1:
            meta["fiscal_year"] = int(years.pop())
    if sec.form_type == "self_eval_report" and title and "project_name" not in meta:
        m = _TITLE_PROJECT.search(fold(title))  # …自评报告(2022年公共图书馆…免费开放市级补助经费)
        if m and not re.fullmatch(r"20\d\d年度?", m.group(1)):
            meta["project_name"] = m.group(1)
    if sec.form_type != "self_eval_report" and "unit_name" not in meta and title:
        # a page heading that repeats the form's title with the unit in front (r007
        # '南县民政局2022年项目支出绩效自评指标计分表' over '附件2' / '2022年项目支出绩效自评指标计分表')
        for b in sec.blocks[:6]:
            if b.kind == CELL:
                break
            head = fold(b.text)
            if head != fold(title) and head.endswith(fold(title)) and (unit := title_unit(head)):
                meta["unit_name"] = unit
                break
    if sec.form_type == "self_eval_report" and "unit_name" not in meta and title:
        m = re.search(r"年度?(.+?)(?:单位|部门)?整体支出绩效", fold(title))
        if m:
            meta["unit_name"] = m.group(1)
        elif unit := title_unit(title):
            meta["unit_name"] = unit
        else:  # a heading line under the title that names the report again with its unit (r011:
            # the first line is the file name '河湖水系2022年整体绩效自评总结报告.docx')
            from ..segment import form_specs
            report = next(f for f in form_specs()["forms"] if f["type"] == "self_eval_report")
            for b in sec.paragraphs()[:6]:
                line = b.text.strip()
                if line != title and "\n" not in line and any(t.search(fold(line)) for t in report["_titles"]) \
                        and (unit := title_unit(line)):
                    meta["unit_name"] = unit
                    break
    if sec.form_type == "self_eval_report" and "unit_name" not in meta:
        # the report's signature: a unit's name over the date that closes the text
        # (r004 '中共保山市委办公室' / '2018年6月5日')
        paras = [b for b in sec.paragraphs() if b.text.strip()]
        if len(paras) >= 2 and parse_date(paras[-1].text.strip()):
            line = fold(paras[-2].text)
            if 4 <= len(line) <= 24 and not re.search(r"[\d:：,，。;；、()（）]", line) \
                    and unit_head(line) == line:
                meta["unit_name"] = line


_TITLE_HEAD = re.compile(r"^(?P<head>.*?)\s*(?:关于)?\s*(?:20\d\d\s*年|专项资金|项目|国家|中央|省级|市级|县级|州级)")


def title_unit(title: str) -> str | None:
    """The unit a report's title names before its year or its subject: the longest run
    from the start that ends with a unit word (``unit_name_endings``: 局, 中心, 医院, 中学…)
    and holds no year (``万源市民政局 关于2021年度…`` → 万源市民政局; ``红河州第二人民医院国家
    基本公共卫生服务项目…`` → 红河州第二人民医院); None when the title begins with its year
    or subject, or its head ends in no unit word (``枞阳县2023年度…``)."""
    from ..segment import form_specs
    t = fold(title)
    m = _TITLE_HEAD.match(t)
    if not m or not m.group("head"):
        return None
    return unit_head(m.group("head"))


def unit_head(head: str) -> str | None:
    """The longest start of ``head`` (at least 4 characters) that ends with a unit word
    (``unit_name_endings``), or None."""
    from ..segment import form_specs
    endings = sorted(form_specs().get("unit_name_endings", []), key=len, reverse=True)
    for end in range(len(head), 3, -1):
        if any(head[:end].endswith(w) for w in endings):
            return head[:end]
    return None


def parse_form(ctx: Ctx, *, with_actual: bool = True, template: Header | None = None) -> None:
    """Self-evaluation and target forms: walk each table and hand every row to the part
    of the form it opens (funds header, goal header, indicator header), or read it as a
    goal/duty row, a 按收入/支出性质分 breakdown or a ``资金总额:…`` cell.  ``template`` is
    the indicator header of the same document for a section that starts inside a table
    (a page cut mid-form): its first rows are read under it."""
    year = ctx.meta.get("fiscal_year")
    for n_table, t in enumerate(ctx.section.tables()):
        parse_allocation(ctx, t, year)
        rows = t.rows()
        dense = dense_rows(rows)  # the header search at every row reads the merged cells from it
        unit = "万元"
        breakdown: dict[int, str] = {}
        column_lines: dict[int, dict] = {}  # col -> the line a row of pairs read there
        i = 0
        if template is not None and n_table == 0 and rows and looks_like_indicator_row(rows[0]):
            ctx.evidence["starts_inside_table"] = True
            ctx.notes.append("the section starts inside an indicator table: its first rows are read "
                             "under the document's indicator header " + " | ".join(
                                 "/".join(c.path) for c in template.columns if c.role))
            i = parse_indicator_table(ctx, rows, 0, with_actual=with_actual,
                                      header=Header(start=0, end=0, width=template.width,
                                                    columns=template.columns))
        while i < len(rows):
            row = rows[i]
            if (h := indicator_header(rows, i, dense)) is not None:
                i = parse_indicator_table(ctx, rows, i, with_actual=with_actual, header=h)
                column_lines.clear()
                continue
            if is_funds_header(row):
                i = parse_funds_block(ctx, rows, i, year)
                column_lines.clear()
                continue
            if (j := parse_money_table(ctx, rows, i, year)) is not None:
                i = j
                column_lines.clear()
                continue
            if is_goal_header(row):
                i = parse_goal_block(ctx, rows, i)
                column_lines.clear()
                continue
            i += 1
            cells = [c for c in row if fold(c.text)]
            if not cells:
                continue
            kind = goal_row_kind(cells[0])
            if kind and len(cells) >= 2:
                pair_items(ctx, kind, cells[1], None)
                ctx.claim(*row)
                continue
            if "万元" in fold(cells[0].text) or "元)" in fold(cells[0].text):
                unit = header_unit([cells[0]])
                ctx.evidence["block_label"] = read(cells[0])  # 年度预算申请(万元)
            if bd := breakdown_headers(row):
                breakdown = bd
                ctx.claim(*row)
                breakdown_header_lines(ctx, row, "年度资金总额", year, unit)
            elif not (breakdown and parse_breakdown_row(ctx, row, breakdown, "年度资金总额", year, unit)):
                k = 0
                lines_before = dict(column_lines)
                while k < len(row):  # every label/amount pair of the row
                    c = row[k]
                    if "资金总额" in fold(c.text) and parse_total_cell(
                            ctx, c, row[k - 1] if k else None, year, unit):
                        k += 1
                        continue
                    if k + 1 < len(row) and parse_amount_pair(ctx, c, row[k + 1], year):
                        if not clean_label(c.content)[2]:  # a 其中 line's siblings follow it, not its parts
                            column_lines[c.col] = ctx.funds[-1]
                        k += 2
                        continue
                    if k + 1 < len(row) and c.col in lines_before and parse_column_subline(
                            ctx, c, row[k + 1], lines_before[c.col]):
                        k += 2
                        continue
                    if (k + 1 >= len(row) or not fold(row[k + 1].text)) and is_fund_line_label(c.content) \
                            and not clean_label(c.content)[2]:
                        ctx.evidence["open_line"] = fund_item(c.content)  # a total line left empty
                    k += 1


def _fact_columns(row: list[Block], columns: dict[str, list[str]]) -> dict[int, str]:
    roles = {c.col: match_role(c.text, columns) for c in row}
    return {k: r for k, r in roles.items() if r}


def _header_value_facts(ctx: Ctx, header: list[Block], values: list[Block] | None,
                        roles: dict[int, str], spec: dict) -> None:
    """A header row of labels and the row of values under it (编制数 | 实际在职人数 | 控制率)."""
    ctx.claim(*header)
    if values is None:
        return
    ctx.claim(*values)
    by_col = {c.col: c for c in values}
    for col, key in roles.items():
        c = by_col.get(col)
        if c is None or not fold(c.text):
            continue
        hdr = next(x for x in header if x.col == col)
        q = parse_quantity(read(c), unit_hint=spec.get("unit_hints", {}).get(key))
        unit = q.unit or spec.get("units", {}).get(key)
        ctx.fact(key, hdr, c, parsed=q.value, unit=unit, kind=q.kind)


def parse_basic_data(ctx: Ctx) -> None:
    v = vocab()
    specs = [(v[spec["columns"]], spec) for spec in v["header_value_facts"]]
    for t in ctx.section.tables():
        rows = t.rows()
        i = 0
        while i < len(rows):
            row = rows[i]
            if any(match_role(c.text, {"x": v["expenditure_header"]}) for c in row[:1]):
                i = parse_expenditure_table(ctx, rows, i)
                ctx.evidence["basic_data"] = True
                continue
            for columns, spec in specs:
                roles = _fact_columns(row, columns)
                if len(roles) >= 2:
                    _header_value_facts(ctx, row, rows[i + 1] if i + 1 < len(rows) else None, roles, spec)
                    ctx.evidence["basic_data"] = True
                    i += 2
                    break
            else:
                if fold(row[0].text) == "厉行节约保障措施":
                    ctx.claim(*row)
                    if len(row) > 1 and fold(row[1].text):
                        ctx.fact("austerity_measures", row[0], row[1], kind="text")
                i += 1


def _start(sec: Section) -> Ctx:
    ctx = Ctx(section=sec)
    ctx.claim(sec.title_block)
    from ..segment import attachment_label
    ctx.claim(*[b for b in sec.blocks[:3] if attachment_label(b.text)])
    section_meta(ctx)
    return ctx


def parse_section(sec: Section, template: Header | None = None) -> Ctx:
    """Every recogniser on every table of the section, whatever its type (a section
    classified ``unknown`` still has its tables read), then the form type from what was
    found (forms/formtype.py)."""
    ctx = _start(sec)
    if sec.form_type == "self_eval_report":
        if sec.classified_by == "anchors":  # a form whose anchors read like a report?
            trial = _start(sec)
            parse_form(trial, template=template)
            if report_is_form(sec, trial):
                return trial
        label_value_facts(ctx)  # a 基本概况 table of the report (人员编制 / 21)
        return ctx  # headings and mentions: extractors.narrative
    if sec.form_type == "basic_data":
        parse_basic_data(ctx)
    else:
        parse_form(ctx, template=template)
        paragraph_goals(ctx)
        if not (ctx.indicators or ctx.funds or ctx.goals or ctx.facts):
            parse_basic_data(ctx)
    label_value_facts(ctx)
    decide(sec, ctx)
    return ctx
