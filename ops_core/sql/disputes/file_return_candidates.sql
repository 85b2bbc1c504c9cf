-- ACH return, dishonored and contested-dishonored entries loaded from NACHA files
-- (table ach_returns, migration 010) that dispute intake acts on (domain.md §1.4, §7.1),
-- matched to the ledger payment by the original entry's trace number.
-- return_year: the year of the file's load date, for the Julian return settlement date.
-- Inputs: $codes (unauthorized return codes). Grain: one row per return addenda.
SELECT
    r.source_file_id,
    r.source_line,
    r.kind,
    r.return_code,
    r.original_trace,
    r.amount_minor,
    r.currency,
    r.return_settlement_date,
    r.dishonored_return_settlement_date,
    year(timezone('America/New_York', f.loaded_at)) AS return_year,
    CAST(timezone('America/New_York', f.loaded_at) AS DATE) AS loaded_on,
    f.loaded_at,
    p.payment_id,
    p.client_id,
    p.rail_id,
    p.txn_type,
    p.direction,
    CAST(timezone('America/New_York', p.final_at) AS DATE) AS settled_on
FROM ach_returns AS r
JOIN source_files AS f ON f.file_id = r.source_file_id
LEFT JOIN payments AS p ON p.ach_trace_number = r.original_trace AND p.rail_id = 'ACH'
WHERE (r.kind = 'return' AND list_contains($codes, r.return_code))
    OR r.kind IN ('dishonored', 'contested')
ORDER BY f.loaded_at, r.source_file_id, r.source_line
