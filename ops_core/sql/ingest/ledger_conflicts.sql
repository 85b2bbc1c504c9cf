-- Cross-row checks of a typed ledger export (ops_core/ingest/ledger.py): a payment_id twice
-- in the file; a payment_id the ledger already holds with different content (the first
-- field that differs); a retry whose first attempt is neither in the file nor in the ledger,
-- is itself a retry, or was created later; an attempt number used twice for one payment.
-- Inputs: temp table ledger_typed (every row passed ledger_type's checks), payments; $unit
-- ('line' or 'row', how the file's positions are named). Grain: the first conflict by line
-- (zero or one row): line, field, message, expected.
-- (repeated keys by a grouping, then their rows: a window partitioned by the key sorted every
-- row of the file)
WITH repeated_ids AS (
    SELECT
        pid,
        min(line) AS first_line
    FROM ledger_typed
    GROUP BY pid
    HAVING count(*) > 1
),

dup AS (
    SELECT
        t.line,
        t.pid,
        r.first_line
    FROM ledger_typed AS t
    INNER JOIN repeated_ids AS r ON t.pid = r.pid
),

existing AS (
    SELECT
        t.line,
        t.pid,
        CASE
            WHEN t.opid IS DISTINCT FROM p.original_payment_id
                THEN {'f': 'original_payment_id', 'old': CAST(p.original_payment_id AS VARCHAR), 'new': CAST(t.opid AS VARCHAR)}
            WHEN t.attempt IS DISTINCT FROM p.attempt_no
                THEN {'f': 'attempt_no', 'old': CAST(p.attempt_no AS VARCHAR), 'new': CAST(t.attempt AS VARCHAR)}
            WHEN t.client_id IS DISTINCT FROM p.client_id
                THEN {'f': 'client_id', 'old': p.client_id, 'new': t.client_id}
            WHEN t.rail_id IS DISTINCT FROM p.rail_id
                THEN {'f': 'rail_id', 'old': p.rail_id, 'new': t.rail_id}
            WHEN t.partner_id IS DISTINCT FROM p.partner_id
                THEN {'f': 'partner_id', 'old': p.partner_id, 'new': t.partner_id}
            WHEN t.direction IS DISTINCT FROM p.direction
                THEN {'f': 'direction', 'old': p.direction, 'new': t.direction}
            WHEN t.dc IS DISTINCT FROM p.dc
                THEN {'f': 'dc', 'old': p.dc, 'new': t.dc}
            WHEN t.txn_type IS DISTINCT FROM nullif(p.txn_type, '')
                THEN {'f': 'txn_type', 'old': p.txn_type, 'new': t.txn_type}
            WHEN t.minor IS DISTINCT FROM p.amount_minor
                THEN {'f': 'amount_minor', 'old': CAST(p.amount_minor AS VARCHAR), 'new': CAST(t.minor AS VARCHAR)}
            WHEN t.currency IS DISTINCT FROM p.currency
                THEN {'f': 'currency', 'old': p.currency, 'new': t.currency}
            WHEN t.created_at IS DISTINCT FROM p.created_at
                THEN {'f': 'created_at', 'old': CAST(p.created_at AS VARCHAR), 'new': CAST(t.created_at AS VARCHAR)}
            WHEN t.status IS DISTINCT FROM p.status
                THEN {'f': 'status', 'old': p.status, 'new': t.status}
            WHEN t.final_at IS DISTINCT FROM p.final_at
                THEN {'f': 'final_at', 'old': CAST(p.final_at AS VARCHAR), 'new': CAST(t.final_at AS VARCHAR)}
            WHEN t.returned_at IS DISTINCT FROM p.returned_at
                THEN {'f': 'returned_at', 'old': CAST(p.returned_at AS VARCHAR), 'new': CAST(t.returned_at AS VARCHAR)}
            WHEN t.code_scheme IS DISTINCT FROM nullif(p.code_scheme, '')
                THEN {'f': 'code_scheme', 'old': p.code_scheme, 'new': t.code_scheme}
            WHEN t.code IS DISTINCT FROM nullif(p.code, '')
                THEN {'f': 'code', 'old': p.code, 'new': t.code}
            WHEN t.ach_trace_number IS DISTINCT FROM nullif(p.ach_trace_number, '')
                THEN {'f': 'ach_trace_number', 'old': p.ach_trace_number, 'new': t.ach_trace_number}
            WHEN t.end_to_end_id IS DISTINCT FROM nullif(p.end_to_end_id, '')
                THEN {'f': 'end_to_end_id', 'old': p.end_to_end_id, 'new': t.end_to_end_id}
            WHEN t.uetr IS DISTINCT FROM nullif(p.uetr, '')
                THEN {'f': 'uetr', 'old': p.uetr, 'new': t.uetr}
            WHEN t.network_txn_id IS DISTINCT FROM nullif(p.network_txn_id, '')
                THEN {'f': 'network_txn_id', 'old': p.network_txn_id, 'new': t.network_txn_id}
            WHEN t.tx_hash IS DISTINCT FROM nullif(p.tx_hash, '')
                THEN {'f': 'tx_hash', 'old': p.tx_hash, 'new': t.tx_hash}
            WHEN t.log_index IS DISTINCT FROM p.log_index
                THEN {'f': 'log_index', 'old': CAST(p.log_index AS VARCHAR), 'new': CAST(t.log_index AS VARCHAR)}
            WHEN t.counterparty_name IS DISTINCT FROM nullif(p.counterparty_name, '')
                THEN {'f': 'counterparty_name', 'old': p.counterparty_name, 'new': t.counterparty_name}
            WHEN t.counterparty_account IS DISTINCT FROM nullif(p.counterparty_account, '')
                THEN {'f': 'counterparty_account', 'old': p.counterparty_account, 'new': t.counterparty_account}
        END AS diff,
        p.source_file_id
    FROM ledger_typed AS t
    INNER JOIN payments AS p ON t.pid = p.payment_id
),

-- the first attempt of every retry, from this file or from the ledger
originals AS (
    SELECT
        t.line,
        t.pid,
        t.opid,
        t.attempt,
        t.created_at,
        coalesce(o.pid, p.payment_id) AS found,
        coalesce(o.opid, p.original_payment_id) AS found_original,
        coalesce(o.created_at, p.created_at) AS found_created_at
    FROM ledger_typed AS t
    LEFT JOIN ledger_typed AS o ON t.opid = o.pid
    LEFT JOIN payments AS p ON t.opid = p.payment_id
    WHERE t.opid <> t.pid
),

repeated_attempts AS (
    SELECT
        opid,
        attempt,
        min(line) AS first_line
    FROM ledger_typed
    GROUP BY opid, attempt
    HAVING count(*) > 1
),

attempts AS (
    SELECT
        t.line,
        t.opid,
        t.attempt,
        r.first_line
    FROM ledger_typed AS t
    INNER JOIN repeated_attempts AS r ON t.opid = r.opid AND t.attempt = r.attempt
),

ledger_attempts AS (
    SELECT
        t.line,
        t.opid,
        t.attempt,
        min(p.payment_id) AS ledger_pid
    FROM ledger_typed AS t
    INNER JOIN payments AS p
        ON
            t.opid = p.original_payment_id
            AND t.attempt = p.attempt_no
            AND t.pid <> p.payment_id
    GROUP BY t.line, t.opid, t.attempt
),

conflicts AS (
    SELECT
        line,
        1 AS priority,
        'payment_id' AS field,
        'payment ' || pid || ' appears twice in the file (first on ' || $unit || ' '
        || first_line || ')' AS message,
        'each payment_id once' AS expected
    FROM dup
    WHERE line > first_line
    UNION ALL
    SELECT
        line,
        2 AS priority,
        diff.f AS field,
        'payment ' || pid || ' is already in the ledger'
        || CASE WHEN source_file_id IS NULL THEN '' ELSE ' (file ' || source_file_id || ')' END
        || ' with ' || diff.f || ' ' || coalesce('''' || diff.old || '''', 'blank')
        || ', this file says ' || coalesce('''' || diff.new || '''', 'blank') AS message,
        'the ledger''s values for an existing payment_id, or a new payment_id' AS expected
    FROM existing
    WHERE diff IS NOT NULL
    UNION ALL
    SELECT
        line,
        3 AS priority,
        'original_payment_id' AS field,
        CASE
            WHEN found IS NULL
                THEN 'the first attempt ' || opid || ' of this retry is neither in the file nor in the ledger'
            WHEN found_original <> found
                THEN 'payment ' || opid || ' is itself a retry (of ' || found_original || ')'
            ELSE 'this retry was created before its first attempt ' || opid
        END AS message,
        'the payment_id of a first attempt created earlier, in this file or already loaded' AS expected
    FROM originals
    WHERE found IS NULL OR found_original <> found OR created_at < found_created_at
    UNION ALL
    SELECT
        line,
        4 AS priority,
        'attempt_no' AS field,
        'attempt ' || attempt || ' of payment ' || opid || ' is already on ' || $unit || ' '
        || first_line AS message,
        'each attempt number once per payment' AS expected
    FROM attempts
    WHERE line > first_line
    UNION ALL
    SELECT
        line,
        5 AS priority,
        'attempt_no' AS field,
        'attempt ' || attempt || ' of payment ' || opid || ' is already payment ' || ledger_pid
        || ' in the ledger' AS message,
        'each attempt number once per payment' AS expected
    FROM ledger_attempts
)

SELECT
    line,
    field,
    message,
    expected
FROM conflicts
ORDER BY line, priority
LIMIT 1
