-- Inserts the new payments of a checked ledger export (ops_core/ingest/ledger.py); rows whose
-- payment_id the ledger already holds (with the same content: ledger_conflicts refused any
-- other) are skipped. original_created_at is the first attempt's created_at, from the file
-- or the ledger. Inputs: temp table ledger_typed, payments; $file_id. Grain: one row per new
-- payment attempt, with its provenance (source_file_id, source_line).
INSERT INTO payments BY NAME
SELECT
    t.pid AS payment_id,
    t.opid AS original_payment_id,
    t.attempt AS attempt_no,
    CASE
        WHEN t.opid = t.pid THEN t.created_at
        ELSE coalesce(o.created_at, p.original_created_at)
    END AS original_created_at,
    t.client_id,
    t.rail_id,
    t.partner_id,
    t.direction,
    t.dc,
    t.txn_type,
    t.minor AS amount_minor,
    t.currency,
    t.created_at,
    t.final_at,
    t.status,
    t.returned_at,
    t.code_scheme,
    t.code,
    t.ach_trace_number,
    t.end_to_end_id,
    t.uetr,
    t.network_txn_id,
    t.tx_hash,
    t.log_index,
    t.counterparty_name,
    t.counterparty_account,
    $file_id AS source_file_id,
    t.line AS source_line
FROM ledger_typed AS t
LEFT JOIN ledger_typed AS o ON t.opid = o.pid AND t.opid <> t.pid
LEFT JOIN payments AS p ON t.opid = p.payment_id AND t.opid <> t.pid
WHERE NOT EXISTS (SELECT 1 FROM payments AS e WHERE e.payment_id = t.pid)
