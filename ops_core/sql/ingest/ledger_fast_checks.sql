-- After a fast ledger insert (ledger_fast_insert): the cross-row rules of ledger_conflicts
-- the primary key does not already enforce, checked on the ledger with the file in it. A
-- retry whose first attempt is missing, is itself a retry or was created later, or an
-- attempt number used twice for one payment (in the file or with the ledger), stops the
-- statement (error()): the loader rolls back and the full path names the line and field.
-- Only retries can repeat an attempt: a first attempt is (payment_id, 1), unique by the key,
-- and every loaded row with original_payment_id <> payment_id has attempt_no >= 2.
-- Inputs: payments; $file_id. Grain: one row (NULL) when the file passes.
WITH retries AS (
    SELECT payment_id, original_payment_id, created_at
    FROM payments
    WHERE source_file_id = $file_id AND original_payment_id <> payment_id
),

bad_originals AS (
    SELECT r.payment_id
    FROM retries AS r
    LEFT JOIN payments AS o ON r.original_payment_id = o.payment_id
    WHERE
        o.payment_id IS NULL
        OR o.original_payment_id <> o.payment_id
        OR r.created_at < o.created_at
),

repeated_attempts AS (
    SELECT original_payment_id
    FROM payments
    WHERE original_payment_id IN (SELECT original_payment_id FROM retries)
    GROUP BY original_payment_id, attempt_no
    HAVING count(*) > 1
)

SELECT
    CASE
        WHEN (SELECT count(*) FROM bad_originals) + (SELECT count(*) FROM repeated_attempts) > 0
            THEN error('fast path: a retry breaks a rule; the full checks name it')
    END AS failed
