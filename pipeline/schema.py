"""The published datasets: columns, Arrow types and descriptions (the data dictionary).

This module is the executable form of CONTRACT.md.  The writer casts every dataset to
these schemas, stores the descriptions in the Parquet field metadata, and publishes the
same dictionary as ``datapackage.json``.
"""
from __future__ import annotations

import pyarrow as pa

STR = pa.string()
I32 = pa.int32()
I64 = pa.int64()
F64 = pa.float64()
MONEY = pa.decimal128(18, 2)      # 元, 2 places
QTY = pa.decimal128(28, 6)        # normalised quantities in base units
POINTS = pa.decimal128(12, 4)     # weights and scores
DATE = pa.date32()
STRLIST = pa.list_(pa.string())

# (name, type, description)
DATASETS: dict[str, list[tuple[str, pa.DataType, str]]] = {
    "documents": [
        ("doc_id", STR, "First 16 hex digits of the SHA-256 of the raw file bytes."),
        ("source_path", STR, "Path of the input file relative to the raw folder (POSIX separators); bytes of a name that is not valid UTF-8 are written \\xNN (the raw name is in source_path_bytes)."),
        ("source_path_bytes", pa.binary(), "The raw bytes of source_path when the file name is not valid UTF-8 (e.g. a Latin-1 name), else null."),
        ("duplicate_of", STR, "Set on a file byte-identical to an earlier one of the batch (in source_path order): the doc_id of that first copy, whose records it shares; this row has its own doc_id and no records of its own. Null otherwise."),
        ("format", STR, "File format detected from the content: txt|docx|pdf|xlsx|html, or the legacy xls|doc|rtf (doc/rtf converted by LibreOffice, said in warnings); null if unrecognised."),
        ("layout", STR, "How text and tables were recovered: tab_cells, tsv_rows, markdown_table, blank_line_cells, space_flat, column_interleaved, flat (text dialects, see CONTRACT.md), docx_tables, pdf_tables, xlsx_cells, xls_cells, html_tables."),
        ("encoding", STR, "Text encoding of a .txt input (utf-8, utf-8-sig, gb18030, utf-16 with a byte-order mark, utf-16-le/utf-16-be without one); null for other formats."),
        ("sha256", STR, "SHA-256 of the raw file bytes (hex)."),
        ("n_bytes", I64, "Size of the raw file in bytes."),
        ("n_pages", I32, "Number of pages (PDF only), else null."),
        ("status", STR, "ok | partial (read, but some sections or rows could not be parsed) | failed (nothing could be read)."),
        ("error", STR, "Null when ok; otherwise what went wrong and what a person can do about it."),
        ("n_sections", I32, "Number of sections found."),
        ("warnings", STRLIST, "Non-fatal observations made while reading (e.g. decoded as GB18030)."),
        ("same_content_as", STR, "Set when another file of the batch holds the same forms (same form type, year, unit, project, indicator and fund values; e.g. a .txt and the .docx of one form): the doc_id of the group's first document, that one included; null for unique content. Sum figures only where coalesce(same_content_as, doc_id) = doc_id."),
        ("text", STR, "Canonical text of the document; every char offset in other datasets indexes into it. For .txt input it equals the decoded file."),
    ],
    "sections": [
        ("section_id", STR, "{doc_id}:{ordinal}."),
        ("doc_id", STR, "Document the section belongs to."),
        ("ordinal", I32, "Position of the section in reading order, from 1."),
        ("attachment_label", STR, "Attachment label as normalised, e.g. 附件3; null if none."),
        ("form_type", STR, "basic_data | overall_self_eval | project_self_eval | overall_target | project_target | self_eval_report | unknown."),
        ("classified_by", STR, "Which evidence decided form_type: tables (what the recognisers found: an indicator table with or without an actual column, a 部门整体/staff/budget block, 基础数据) | title (a form title; also when it broke a tie) | anchors (header labels matched) | null (unknown)."),
        ("title", STR, "Title line of the form or report as written."),
        ("fiscal_year", I32, "Fiscal year the form speaks of (from its title, else the document)."),
        ("unit_name", STR, "预算单位/单位名称/部门/项目单位 stated in the section (code prefix and a trailing 本级 removed), else its 主管部门, else its 实施单位/资金使用单位; for sections that state none, the unit stated elsewhere in the same document — not for a section of no known form (form_type unknown) or one cut from its header."),
        ("unit_code", STR, "Code written in front of the unit name (219001 of 219001-池州市…), null if none."),
        ("project_name", STR, "项目名称 / 项目支出名称 / 转移支付(项目)名称, code prefix removed."),
        ("project_code", STR, "Code written in front of the project name (51000021R000000019951-工资性支出), null if none."),
        ("competent_dept", STR, "主管部门 / 主管部门及编码 / 地方主管部门, code prefix removed."),
        ("competent_dept_code", STR, "Code written in front of the 主管部门 (219 of 219-池州市…), null if none."),
        ("central_competent_dept", STR, "中央主管部门 of transfer-payment forms."),
        ("implementing_unit", STR, "实施单位 / 项目实施单位 / 资金使用单位, code prefix removed."),
        ("implementing_unit_code", STR, "Code written in front of the 实施单位, null if none."),
        ("preparer", STR, "填表人."),
        ("phone", STR, "联系电话 as written."),
        ("province", STR, "Province the section's unit names (四川省 from 旺苍县卫生健康局; GB/T 2260 names, normalizers/region.py): read from unit_name, else 主管部门, 实施单位, 中央主管部门, then the title; null when none of them names a division, or the names read are ambiguous (朝阳区 alone) or lie in different provinces."),
        ("province_code", STR, "First two digits of the GB/T 2260 code of province (51)."),
        ("region_code", STR, "Six-digit GB/T 2260 code of the most specific division named (510821 for 旺苍县; 510000 when only the province is named)."),
        ("region_name", STR, "Name of that division as read, in simplified characters (旺苍县; 岳阳县 from 岳陽縣; 宁乡市 for the former 宁乡县; 红河州 for 红河哈尼族彝族自治州)."),
        ("region_from", STR, "The field province was read from: unit_name | competent_dept | implementing_unit | central_competent_dept | title."),
        ("filled_date", DATE, "填报日期 / report date."),
        ("total_weight", POINTS, "Stated total weight of the 总分 row (分值), e.g. 100."),
        ("total_score", POINTS, "Stated total score of the 总分 row (自评得分)."),
        ("total_block", STR, "block_id of the 总分 score cell."),
        ("status", STR, "ok | partial (some rows or cells not claimed by any parser) | unparsed (form not recognised or no parser)."),
        ("status_message", STR, "What was left unparsed, with block ids, so a person can look."),
        ("char_start", I64, "Start offset of the section in documents.text."),
        ("char_end", I64, "End offset (exclusive)."),
    ],
    "blocks": [
        ("block_id", STR, "{section_id}:b{n}, n counting blocks of the section from 1."),
        ("section_id", STR, "Section of the block."),
        ("doc_id", STR, "Document of the block."),
        ("kind", STR, "cell | paragraph | heading."),
        ("table_no", I32, "Table number in the document, from 1 (cells only)."),
        ("row", I32, "Grid row of the cell's top-left corner, from 1."),
        ("col", I32, "Grid column of the cell's top-left corner, from 1."),
        ("rowspan", I32, "Rows the cell spans (1 unless merged)."),
        ("colspan", I32, "Columns the cell spans (1 unless merged)."),
        ("text", STR, "Text exactly as in the source span (whitespace kept)."),
        ("char_start", I64, "Start offset into documents.text."),
        ("char_end", I64, "End offset (exclusive): documents.text[char_start:char_end] == text."),
        ("page", I32, "PDF page number from 1, else null."),
        ("x0", F64, "PDF box left (pdfplumber coordinates, points), else null."),
        ("top", F64, "PDF box top, else null."),
        ("x1", F64, "PDF box right, else null."),
        ("bottom", F64, "PDF box bottom, else null."),
        ("address", STR, "Spreadsheet cell address (Sheet1!B7) for xlsx, else null."),
        ("heading_level", I32, "Heading level (1 = top) for headings, else null."),
        ("grid_confidence", STR, "How the grid of a text table was rebuilt (cells of .txt input): delimited (TAB or | separators), header_width (a cell stream regrouped from the width of a recognised header), spaces (whitespace-separated rows under a header of known labels), shape_grammar (glued cells split by their shapes), interleaved (labels and values printed apart, paired in order where counts, points and sums confirm it), token_rows (rows of figures running into each other, rebuilt under a header of figure columns; numbers cut at paragraph breaks rejoined where one reading fits), score_pairs (scattered scoring-sheet rows: a name and its two figures, level labels given by their points), stream (one column, rows not rebuilt); null for paragraphs and for formats with a grid of their own."),
    ],
    "indicators": [
        ("indicator_id", STR, "{section_id}:i{row_no}."),
        ("section_id", STR, ""), ("doc_id", STR, ""), ("form_type", STR, ""),
        ("fiscal_year", I32, ""), ("province", STR, ""), ("unit_name", STR, ""), ("project_name", STR, ""),
        ("row_no", I32, "Position of the indicator in its table, from 1."),
        ("horizon", STR, "annual (this year's columns: 年度, or no horizon stated) | long_term (the 长期/中期 twins of the annual columns, e.g. 指标值(长期) beside 指标值(年度)), read after the annual rows."),
        ("level1", STR, "Canonical 一级指标 (产出指标, 效益指标, 满意度指标, 成本指标); an unknown label as written."),
        ("level1_code", STR, "English code of level1 (output, outcome, satisfaction, cost); null if unknown."),
        ("level1_raw", STR, "一级指标 cell text as written."),
        ("level1_weight", POINTS, "Weight stated in the 一级 label, e.g. 50 from 产出指标(50 分)."),
        ("level2", STR, "Canonical 二级指标 (数量指标, 质量指标, ...); an unknown label as written."),
        ("level2_code", STR, "English code of level2 (quantity, quality, timeliness, ...); null if unknown."),
        ("level2_raw", STR, "二级指标 cell text as written."),
        ("name", STR, "三级指标 name, cleaned of numbering, marks and layout whitespace."),
        ("name_raw", STR, "三级指标 cell text as written."),
        ("item", STR, "Funding item column of target tables (e.g. 人才培养经费); null elsewhere."),
        ("target_raw", STR, "年度指标值 / 指标值 as written."),
        ("target_op", STR, "= >= <= > < range qual na."),
        ("target_value", QTY, "Target in base units: 元 for money, percent points, counts with 万/亿 multiplied out."),
        ("target_upper", QTY, "Upper bound when target_op is range."),
        ("target_unit", STR, "元, %, or the unit word as written (人次, 家, 工作日, 名...)."),
        ("target_kind", STR, "money | count | percent | duration | date | rank | text | na."),
        ("target_subject", STR, "Label written before the target's comparator or direction word (评估报告总成本 in 评估报告总成本不超过0.5万元); null if none."),
        ("target_direction", STR, "increase | decrease when the target is a change (下降10% → 10, decrease); null for a level."),
        ("target_date_from", DATE, "First day a date target names (2022年3月-11月 → 2022-03-01); null if the text does not fix it."),
        ("target_date_to", DATE, "Last day a date target names (2022年3月-11月 → 2022-11-30; 2023年12月底前 → 2023-12-31)."),
        ("actual_raw", STR, "实际完成值 as written (null in target forms)."),
        ("actual_op", STR, ""), ("actual_value", QTY, ""), ("actual_upper", QTY, ""),
        ("actual_unit", STR, ""), ("actual_kind", STR, ""),
        ("actual_subject", STR, ""), ("actual_direction", STR, ""),
        ("actual_date_from", DATE, ""), ("actual_date_to", DATE, ""),
        ("weight", POINTS, "分值 as written."),
        ("score", POINTS, "自评得分 as written."),
        ("deviation_note", STR, "偏差原因分析及改进措施."),
        ("name_block", STR, "block_id of the 三级指标 cell."),
        ("target_block", STR, "block_id of the target cell."),
        ("actual_block", STR, "block_id of the actual cell."),
        ("weight_block", STR, "block_id of the 分值 cell."),
        ("score_block", STR, "block_id of the 得分 cell."),
        ("level1_block", STR, "block_id of the 一级指标 cell the level1 label was carried down from."),
        ("level2_block", STR, "block_id of the 二级指标 cell the level2 label was carried down from."),
    ],
    "funds": [
        ("fund_id", STR, "{section_id}:f{n}."),
        ("section_id", STR, ""), ("doc_id", STR, ""), ("form_type", STR, ""),
        ("fiscal_year", I32, ""), ("province", STR, ""), ("unit_name", STR, ""), ("project_name", STR, ""),
        ("item", STR, "Normalised line label (三公经费, 公务接待, 年度资金总额, 一般公共预算, 基本支出, 项目支出, ...)."),
        ("item_raw", STR, "Line label as written."),
        ("parent_item", STR, "Normalised label of the enclosing line (公车运行维护 → 公务用车购置和维护经费 → 三公经费)."),
        ("line_no", I32, "Line number of the item in its table, from 1."),
        ("qizhong", pa.bool_(), "True when the line belongs to a 其中 list (a partial breakdown of parent_item, which may exceed their sum); false for numbered or listed lines that must add up to the parent; null at the top."),
        ("measure", STR, "budget_initial (年初预算数) | budget_full_year (全年预算数) | executed (全年执行数) | budget (预算数, 年度预算, 按收入/支出性质分 breakdowns) | final (决算数)."),
        ("measure_raw", STR, "Column header as written."),
        ("period_year", I32, "Year the column speaks of (2022 for 2022年决算数)."),
        ("amount_yuan", MONEY, "Amount in 元, exact."),
        ("amount_raw", STR, "Amount as written."),
        ("unit_raw", STR, "Unit the amount was written in (万元 from the header, or in the cell)."),
        ("block_id", STR, "block_id of the amount cell."),
        ("item_block", STR, "block_id of the line label cell."),
    ],
    "goals": [
        ("goal_id", STR, "{section_id}:g{ordinal} (duties: {section_id}:d{ordinal})."),
        ("section_id", STR, ""), ("doc_id", STR, ""),
        ("kind", STR, "goal (年度总体目标 / 整体绩效目标 item) | duty (职能职责 item)."),
        ("ordinal", I32, "Item number from 1."),
        ("expected_text", STR, "预期目标 item text."),
        ("actual_text", STR, "实际完成情况 item paired by number; null where the form has none."),
        ("expected_block", STR, "block_id of the cell holding the expected text."),
        ("actual_block", STR, "block_id of the cell holding the actual text."),
        ("expected_start", I64, "Offset of the expected item in documents.text."),
        ("expected_end", I64, ""),
        ("actual_start", I64, "Offset of the actual item in documents.text."),
        ("actual_end", I64, ""),
    ],
    "facts": [
        ("fact_id", STR, "{section_id}:k{n}."),
        ("section_id", STR, ""), ("doc_id", STR, ""),
        ("item", STR, "Fund line the fact belongs to (execution rates of sub-lines), else null."),
        ("key", STR, "staff_authorized, staff_actual, staff_control_rate, budget_weight, execution_rate, budget_score, building_*, ..."),
        ("label_raw", STR, "Label as written."),
        ("value_raw", STR, "Value as written."),
        ("value", QTY, "Normalised value (percent points for rates, 元 for money)."),
        ("unit", STR, "人, %, 分, 元, m², ..."),
        ("kind", STR, "count | percent | money | points | area | text."),
        ("block_id", STR, "block_id of the value cell."),
    ],
    "mentions": [
        ("mention_id", STR, "{section_id}:m{n}."),
        ("section_id", STR, ""), ("doc_id", STR, ""),
        ("block_id", STR, "Paragraph block holding the mention."),
        ("heading_path", STRLIST, "Headings above the paragraph, outermost first."),
        ("label", STR, "What the number is about (人员经费, 项目咨询费, 门诊服务)."),
        ("subject", STR, "What a generic label (执行率, 年初目标值, **县2023年资金) is about: the indicator or fund named before it."),
        ("parent_label", STR, "The total a listed item belongs to (项目支出)."),
        ("value_raw", STR, "The number as written, with its unit."),
        ("value", QTY, "Normalised value."), ("unit", STR, ""), ("kind", STR, ""),
        ("share_of", STR, "For 占…的N%: what the percentage is a share of."),
        ("char_start", I64, "Offset of value_raw in documents.text."), ("char_end", I64, ""),
        ("sentence", STR, "The sentence containing the mention."),
    ],
    "checks": [
        ("check_id", STR, "{doc_id}:c{n}."),
        ("doc_id", STR, ""), ("section_id", STR, ""),
        ("rule", STR, "Rule name (score_above_weight, scores_sum, weights_sum, execution_rate, funds_sum, basic_plus_project, full_score_missed_target, narrative_vs_table, narrative_list_sum, ...)."),
        ("severity", STR, "error | warning | info."),
        ("message", STR, "What disagrees, naming the values and where they are."),
        ("expected", STR, "What the figures imply."),
        ("observed", STR, "What the document states."),
        ("refs", STRLIST, "Ids of the rows and blocks involved."),
    ],
}

# Hive partitioning of the published files (writer): dataset -> columns.  The columns are
# also kept inside each file.  Other datasets are split into files by size only.
PARTITION_BY: dict[str, tuple[str, ...]] = {
    "sections": ("fiscal_year", "province"), "indicators": ("fiscal_year", "province"),
    "funds": ("fiscal_year", "province"),
}

PRIMARY_KEYS = {
    "documents": "doc_id", "sections": "section_id", "blocks": "block_id",
    "indicators": "indicator_id", "funds": "fund_id", "goals": "goal_id",
    "facts": "fact_id", "mentions": "mention_id", "checks": "check_id",
}

ID_PREFIX = {"i": "indicators", "f": "funds", "g": "goals", "d": "goals", "k": "facts",
             "m": "mentions", "c": "checks", "b": "blocks"}


COMMON_DESCRIPTIONS = {
    "section_id": "Section the row belongs to (sections.section_id).",
    "doc_id": "Document the row belongs to (documents.doc_id).",
    "form_type": "Form type of the section (see sections.form_type).",
    "fiscal_year": "Fiscal year of the section.",
    "unit_name": "Budget unit of the section (see sections.unit_name).",
    "province": "Province of the section (see sections.province).",
    "project_name": "Project of the section (project forms), else null.",
    "actual_op": "Comparator of the actual value (as target_op).",
    "actual_value": "Actual value in base units (as target_value).",
    "actual_upper": "Upper bound of an actual range.",
    "actual_unit": "Unit of the actual value (as target_unit).",
    "actual_kind": "Kind of the actual value (as target_kind).",
    "actual_subject": "Label before the actual value's comparator (as target_subject).",
    "actual_direction": "increase | decrease when the actual value is a change (as target_direction).",
    "actual_date_from": "First day a date actual value names (as target_date_from).",
    "actual_date_to": "Last day a date actual value names (as target_date_to).",
    "unit": "Unit of value.",
    "kind": "Kind of value.",
    "value": "Normalised value in base units.",
    "char_end": "End offset (exclusive) into documents.text.",
    "expected_end": "End offset (exclusive) of the expected item.",
    "actual_end": "End offset (exclusive) of the actual item.",
}


def description(dataset: str, column: str) -> str:
    for n, _, d in DATASETS[dataset]:
        if n == column:
            return d or COMMON_DESCRIPTIONS.get(column, "")
    raise KeyError(column)


def arrow_schema(name: str) -> pa.Schema:
    fields = [pa.field(n, t, metadata={"description": description(name, n)})
              for n, t, _ in DATASETS[name]]
    return pa.schema(fields, metadata={"dataset": name})


def columns(name: str) -> list[str]:
    return [n for n, _, _ in DATASETS[name]]
