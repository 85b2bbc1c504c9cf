-- What a ledger export added (ops_core/ingest/ledger.py): payments by status, currency and
-- first attempt or retry, and the earliest original_created_at (where the rollups must be
-- rebuilt from). Inputs: payments; $file_id. Grain: status x currency x retry.
SELECT
    status,
    currency,
    attempt_no > 1 AS retry,
    count(*) AS n,
    sum(amount_minor) AS amount_minor,
    min(original_created_at) AS since
FROM payments
WHERE source_file_id = $file_id
GROUP BY ALL
ORDER BY ALL
