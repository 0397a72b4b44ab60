-- Indicators given full score (score >= weight) although the actual value misses the target.
--
-- Compared only where the two are comparable: the actual is a plain figure (actual_op '='),
-- target and actual have the same kind (count, percent or money) and the same unit (人 is
-- not 人次).  Missed means, by target_op:
--   >= actual < target      >  actual <= target      <= actual > target     <  actual >= target
--   range  outside [target, upper]
--   =  money: any difference (a bare money figure is a budget); a zero target (事故发生率 0%):
--      anything above 0; any other count or percentage is a quota: falling short misses it,
--      exceeding it does not (5239 人 against 5200 人 is no miss).
-- These are the rules of the full_score_missed_target check (pipeline/checks.py), plus one
-- the check does not make: a cost ceiling written without a number (不超过年初预算投入,
-- 不超预算: target_op '<=', kind money, no value) is compared with the section's own
-- 年度资金总额 line, 年初预算数 when the target says 年初, else 全年预算数 (else 预算数).
-- target_from says which: 'target' or 'funds:<measure>'.
--
-- Run from the project root:
--   uv run python queries/run.py queries/full_score_missed_target.sql [PARQUET_DIR]   (default data/parquet)
--
-- On the seeds it returns no row, which is what a careful reading of seed 000 finds:
--   * the full-score counts above their quota are not misses: 国家免疫规划类疫苗接种 108526 of
--     108389 人次, 管理孕产妇 5239 of 5200 人, 0-6岁儿童健康管理 37874 of 37500 人, 妇女“两癌”免费
--     筛查 2018 of 1980 人; nor is 新生儿筛查率 102.34% against 100%;
--   * the >= targets are met: 接种率 95.12% / 抗病毒治疗率 96.86% (≥95%), 准确率 100% (98%以上),
--     幼师体检率 92% (≥90%), 满意度 98% / 100% (≥95%);
--   * 居民对服务的满意度 (大于等于95%) and “两癌”筛查合格率 (≥90%) restate the bound as the actual
--     value, and 资金拨付时间 (3个工作日内) is a duration: not compared;
--   * 总成本控制 (不超过年初预算投入) spends exactly the 年初预算数 of its project: 120, 119 and
--     373万元; in 附件2 (不超过预算投入) 1988.88万元 equals the 全年预算数, and its score is 2 of 4
--     anyway, so it is not a full score;
--   * seed 004 is a target table: no actual values, no scores.
WITH total AS (          -- each section's 年度资金总额 line, per budget measure
    SELECT section_id,
           max(amount_yuan) FILTER (WHERE measure = 'budget_initial')   AS budget_initial,
           max(amount_yuan) FILTER (WHERE measure = 'budget_full_year') AS budget_full_year,
           max(amount_yuan) FILTER (WHERE measure = 'budget')           AS budget
    FROM read_parquet('{parquet}/funds/**/*.parquet')
    WHERE item = '年度资金总额' AND parent_item IS NULL
    GROUP BY section_id
), ind AS (
    SELECT i.*,
           (i.target_value IS NULL AND i.target_kind = 'money' AND i.target_op IN ('<=', '<')) AS ceiling_from_funds,
           CASE WHEN i.target_raw LIKE '%年初%' THEN 'budget_initial'
                WHEN t.budget_full_year IS NOT NULL THEN 'budget_full_year'
                WHEN t.budget IS NOT NULL THEN 'budget'
                ELSE 'budget_initial' END AS funds_measure,
           t.budget_initial, t.budget_full_year, t.budget
    FROM read_parquet('{parquet}/indicators/**/*.parquet') i
    LEFT JOIN total t USING (section_id)
), cmp AS (
    SELECT *,
           CASE WHEN NOT ceiling_from_funds THEN target_value
                WHEN funds_measure = 'budget_initial' THEN budget_initial
                WHEN funds_measure = 'budget_full_year' THEN budget_full_year
                ELSE budget END AS target_compared,
           CASE WHEN ceiling_from_funds THEN 'funds:' || funds_measure ELSE 'target' END AS target_from
    FROM ind
)
SELECT d.source_path, c.indicator_id, c.unit_name, c.project_name, c.level1, c.level2, c.name,
       trim(c.target_raw) AS target_raw, trim(c.actual_raw) AS actual_raw,
       c.target_op, c.target_compared, c.target_upper, c.target_from, c.actual_value,
       c.target_unit AS unit, c.actual_value - c.target_compared AS gap,
       c.weight, c.score
FROM cmp c
JOIN read_parquet('{parquet}/documents/**/*.parquet') d USING (doc_id)
JOIN read_parquet('{parquet}/sections/**/*.parquet') s USING (section_id)
WHERE c.weight IS NOT NULL AND c.score IS NOT NULL AND c.score >= c.weight
  AND c.target_compared IS NOT NULL AND c.actual_value IS NOT NULL AND c.actual_op = '='
  AND c.target_kind IN ('count', 'percent', 'money')
  AND c.actual_kind = c.target_kind
  AND c.actual_unit IS NOT DISTINCT FROM c.target_unit
  AND CASE c.target_op
        WHEN '>=' THEN c.actual_value < c.target_compared
        WHEN '>' THEN c.actual_value <= c.target_compared
        WHEN '<=' THEN c.actual_value > c.target_compared
        WHEN '<' THEN c.actual_value >= c.target_compared
        WHEN 'range' THEN c.actual_value < c.target_compared
                          OR (c.target_upper IS NOT NULL AND c.actual_value > c.target_upper)
        WHEN '=' THEN CASE WHEN c.target_kind = 'money' THEN c.actual_value <> c.target_compared
                           WHEN c.target_compared = 0 THEN c.actual_value > 0
                           ELSE c.actual_value < c.target_compared END
        ELSE false
      END
ORDER BY d.source_path, s.ordinal, c.row_no;
