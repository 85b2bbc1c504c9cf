-- The rows of one loaded dispute report with the ledger payment each names (matched by the
-- network transaction id on the card rails), the case already open for its dispute id, and
-- the file's load time and name. Inputs: $file_id. Grain: one row per report row.
SELECT
    r.source_line,
    r.network,
    r.dispute_id,
    r.network_txn_id,
    r.reason_code,
    r.stage,
    r.amount_minor,
    r.currency,
    r.dispute_date,
    r.stage_date,
    r.network_due_date,
    r.transaction_date,
    r.txn_type,
    r.outcome,
    f.loaded_at,
    f.original_name,
    p.payment_id,
    p.client_id,
    p.rail_id,
    p.txn_type AS payment_txn_type,
    p.direction,
    p.final_at
FROM dispute_report_rows AS r
JOIN source_files AS f ON f.file_id = r.source_file_id
LEFT JOIN payments AS p
    ON p.network_txn_id = r.network_txn_id AND p.rail_id IN ('VISA_DIRECT', 'MC_MOVE')
WHERE r.source_file_id = $file_id
QUALIFY row_number() OVER (PARTITION BY r.source_line ORDER BY p.attempt_no DESC) = 1
ORDER BY r.source_line
