-- Money by line hierarchy: every figure of the funds dataset under the path of lines that
-- encloses it, e.g. 三公经费 > 公务用车购置和维护经费 > 公车运行维护, with its amount per
-- measure and period (one row per figure, amounts in 元).
--
-- How: a line of a budget table is (section, label cell); funds.parent_item names the
-- enclosing line.  Each line is attached to the line of its section labelled parent_item
-- that stands nearest above it (nearest below if none is above), so two lines with the
-- same label in one section do not get mixed up; a recursive CTE then walks from the top
-- lines (no parent) down and builds the path.  A parent_item that labels no line of the
-- section is kept as the first step of the path.
--
-- Run from the project root:
--   uv run python queries/run.py queries/money_by_hierarchy.sql [PARQUET_DIR]   (default data/parquet)
--
-- On the seeds (92 figures): 公车运行维护 sits at depth 3 under 三公经费 > 公务用车购置和维护经费
-- with 2022年决算数 30000.00 元 and 2023年预算数 30000.00 元; the 项目支出 tree of 附件1 has
-- 项目支出 > 区级专项资金 > 宣传教育经费 …; the self-evaluation forms give
-- 年度资金总额 > 当年财政拨款 (附件3-5) and 年度资金总额 > 一般公共预算 / 基本支出 / 项目支出 (附件2).
WITH RECURSIVE funds AS (
    SELECT f.*, b.char_start AS amount_pos,
           coalesce(f.item_block, f.section_id || ':line' || coalesce(f.line_no::VARCHAR, f.item)) AS line_key
    FROM read_parquet('{parquet}/funds/**/*.parquet') f
    LEFT JOIN read_parquet('{parquet}/blocks/**/*.parquet') b ON b.block_id = f.block_id
), lines AS (               -- one row per table line
    SELECT f.section_id, f.line_key,
           any_value(f.item) AS item, any_value(f.parent_item) AS parent_item,
           coalesce(any_value(lb.char_start), min(f.amount_pos)) AS pos
    FROM funds f
    LEFT JOIN read_parquet('{parquet}/blocks/**/*.parquet') lb ON lb.block_id = f.item_block
    GROUP BY f.section_id, f.line_key
), parent_of AS (           -- the line labelled parent_item nearest above (else below) in the section
    SELECT c.line_key, p.line_key AS parent_key
    FROM lines c
    JOIN lines p ON p.section_id = c.section_id AND p.item = c.parent_item AND p.line_key <> c.line_key
    QUALIFY row_number() OVER (PARTITION BY c.line_key
                               ORDER BY (p.pos < c.pos) DESC, abs(c.pos - p.pos), p.line_key) = 1
), tree AS (
    SELECT l.section_id, l.line_key, l.item, 1 + (l.parent_item IS NOT NULL)::INT AS depth,
           coalesce(l.parent_item || ' > ', '') || l.item AS path,
           [l.pos] AS sort_key
    FROM lines l
    WHERE l.line_key NOT IN (SELECT line_key FROM parent_of)
    UNION ALL
    SELECT c.section_id, c.line_key, c.item, t.depth + 1, t.path || ' > ' || c.item,
           list_append(t.sort_key, c.pos)
    FROM tree t
    JOIN parent_of po ON po.parent_key = t.line_key
    JOIN lines c ON c.line_key = po.line_key
    WHERE t.depth < 20      -- a guard against a cycle of labels
)
SELECT d.source_path, s.section_id, t.depth, t.path,
       f.measure, f.period_year, f.measure_raw, f.amount_yuan, f.amount_raw, f.unit_raw,
       t.item, f.fund_id, s.attachment_label, s.form_type, s.unit_name, s.project_name
FROM tree t
JOIN funds f ON f.line_key = t.line_key
JOIN read_parquet('{parquet}/sections/**/*.parquet') s ON s.section_id = t.section_id
JOIN read_parquet('{parquet}/documents/**/*.parquet') d ON d.doc_id = s.doc_id
ORDER BY d.source_path, s.ordinal, t.sort_key, f.amount_pos, f.fund_id;
