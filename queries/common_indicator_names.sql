-- The most common indicator names (三级指标) in each 二级指标 category: for every level2,
-- its most frequent names (top_n, default 5, occurring at least min_count times, default 1:
-- change them in the params line) with how many indicators carry the name, in how many
-- sections and documents, their share of the category, and the targets written for them.
-- Categories come in order of size; placeholder rows named 不适用 (a category the form
-- does not use) are left out.  Ties are broken by name, so the output is stable.
--
-- Run from the project root:
--   uv run python queries/run.py queries/common_indicator_names.sql [PARQUET_DIR]   (default data/parquet)
--
-- On the seeds (87 named indicators in 9 categories, 40 rows): 服务对象满意度指标 is led by 群众满意度
-- (2 indicators, 附件2 and the 妇幼生育服务 project of seed 000, targets 大于等于95% and ≥95%);
-- 成本指标 by 总成本控制 (4, one per self-evaluation form); 可持续影响指标 by 加强职业健康管理 (2);
-- every other name occurs once.  A document whose forms another file of the batch also holds
-- (documents.same_content_as, e.g. the .txt and the .docx of one form) is counted once.
WITH params AS (SELECT 5 AS top_n, 1 AS min_count
), ind AS (
    SELECT i.level1, i.level2, i.name, i.target_raw, i.section_id, i.doc_id
    FROM read_parquet('{parquet}/indicators/**/*.parquet') i
    JOIN read_parquet('{parquet}/documents/**/*.parquet') d USING (doc_id)
    WHERE i.name IS NOT NULL AND i.name <> '不适用'
      AND coalesce(d.same_content_as, d.doc_id) = d.doc_id
), by_name AS (
    SELECT level1, level2, name,
           count(*) AS n_indicators,
           count(DISTINCT section_id) AS n_sections,
           count(DISTINCT doc_id) AS n_documents,
           list(DISTINCT trim(target_raw) ORDER BY trim(target_raw)) FILTER (WHERE trim(target_raw) <> '') AS targets
    FROM ind
    GROUP BY level1, level2, name
), ranked AS (
    SELECT *,
           sum(n_indicators) OVER (PARTITION BY level1, level2)::BIGINT AS level2_total,
           row_number() OVER (PARTITION BY level1, level2 ORDER BY n_indicators DESC, name) AS rank
    FROM by_name
)
SELECT level1, level2, level2_total, rank, name, n_indicators, n_sections, n_documents,
       round(100.0 * n_indicators / level2_total, 1) AS pct_of_level2, targets
FROM ranked, params
WHERE rank <= top_n AND n_indicators >= min_count
ORDER BY level2_total DESC, level1, level2, rank;
