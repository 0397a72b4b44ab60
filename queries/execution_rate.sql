-- Budget execution rate by unit and project: 全年执行数 ÷ 全年预算数 of the 年度资金总额 line
-- (÷ 预算数 where the form states a plain budget instead of a full-year one, e.g. 预算数(A) /
-- 执行数(B)), in percent points to 2 places, next to the 执行率 the form states
-- (facts.key = 'execution_rate' of the same line) and the difference stated − computed.
-- Sections whose 年度资金总额 has neither an executed figure nor a stated rate (target
-- tables) are left out; a zero budget gives a null rate.
--
-- Run from the project root:
--   uv run python queries/run.py queries/execution_rate.sql [PARQUET_DIR]   (default data/parquet)
--
-- On the seeds: the four self-evaluation forms of seed 000 (附件2 单位整体 1988.88 of 1988.88万元,
-- 附件3-5 the projects 从业人员预防性体检 120, 实施基本药物补助 119, 妇幼生育服务 373万元) each
-- compute 100.00 and state 100%, difference 0.00; seed 004 (a target table) has no row.
WITH total AS (
    SELECT section_id, period_year,
           max(amount_yuan) FILTER (WHERE measure = 'budget_initial')   AS budget_initial,
           max(amount_yuan) FILTER (WHERE measure = 'budget_full_year') AS budget_full_year,
           max(amount_yuan) FILTER (WHERE measure = 'budget')           AS budget,
           max(amount_yuan) FILTER (WHERE measure = 'executed')         AS executed
    FROM read_parquet('{parquet}/funds/**/*.parquet')
    WHERE item = '年度资金总额' AND parent_item IS NULL
    GROUP BY section_id, period_year
), stated AS (
    SELECT section_id, any_value(value) AS stated_rate, any_value(value_raw) AS stated_raw,
           any_value(fact_id) AS fact_id
    FROM read_parquet('{parquet}/facts/**/*.parquet')
    WHERE key = 'execution_rate' AND coalesce(item, '年度资金总额') = '年度资金总额'
    GROUP BY section_id
), rate AS (
    SELECT t.*,
           CASE WHEN t.budget_full_year IS NOT NULL THEN 'budget_full_year'
                WHEN t.budget IS NOT NULL THEN 'budget' END AS denominator,
           coalesce(t.budget_full_year, t.budget) AS budget_amount
    FROM total t
)
SELECT d.source_path, s.section_id, s.attachment_label, s.form_type, s.fiscal_year,
       s.unit_name, s.project_name,
       r.budget_initial, r.denominator, r.budget_amount, r.executed,
       round(r.executed / nullif(r.budget_amount, 0) * 100, 2)::DECIMAL(12, 2) AS computed_rate,
       st.stated_raw, st.stated_rate::DECIMAL(12, 2) AS stated_rate,
       (st.stated_rate - round(r.executed / nullif(r.budget_amount, 0) * 100, 2))::DECIMAL(12, 2) AS difference,
       st.fact_id
FROM rate r
JOIN read_parquet('{parquet}/sections/**/*.parquet') s USING (section_id)
JOIN read_parquet('{parquet}/documents/**/*.parquet') d ON d.doc_id = s.doc_id
LEFT JOIN stated st USING (section_id)
WHERE r.executed IS NOT NULL OR st.stated_rate IS NOT NULL
ORDER BY d.source_path, s.ordinal;
