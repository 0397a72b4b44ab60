-- Audit findings with the document they concern and, for money findings, the figures
-- they cite (funds.amount_yuan in 元, as written and where).  Run from the project root:
--   uv run python queries/run.py queries/findings.sql [PARQUET_DIR]     (default data/parquet)
-- On the seeds: 3 findings, all in 000_dbacab0dbc49b42b.txt (funds_sum 2385.39 vs 2382.39万元,
-- narrative_vs_table 公用经费 75.65 vs 75.64万元, narrative_list_sum 1125.71 vs 1125.70万元).
WITH checks AS (
    SELECT * FROM read_parquet('{parquet}/checks/**/*.parquet')
), refs AS (
    SELECT check_id, unnest(refs) AS ref FROM checks
)
SELECT d.source_path, CAST(regexp_extract(c.check_id, ':c([0-9]+)$', 1) AS INTEGER) AS n,
       c.check_id, c.severity, c.rule, c.expected, c.observed,
       list(f.item || ' ' || f.measure_raw || ' ' || f.amount_raw || coalesce(f.unit_raw, '')
            || ' (' || f.fund_id || ')' ORDER BY f.fund_id) FILTER (WHERE f.fund_id IS NOT NULL) AS figures,
       c.message
FROM checks c
JOIN read_parquet('{parquet}/documents/**/*.parquet') d USING (doc_id)
LEFT JOIN refs r USING (check_id)
LEFT JOIN read_parquet('{parquet}/funds/**/*.parquet') f ON f.fund_id = r.ref
GROUP BY ALL
ORDER BY d.source_path, n;
