-- The latest runs, newest first. Inputs: recon_runs; $limit. Grain: one row per run.
SELECT run_id, started_at, finished_at, as_of, actor, status, inputs, counts, duration_ms, message
FROM recon_runs
ORDER BY run_id DESC
LIMIT $limit
