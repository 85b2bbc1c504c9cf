-- ACH debits the ledger shows as returned with an unauthorized code (domain.md §1.2, §7.1:
-- R05, R07, R10, R11, R29) that have no dispute case yet. Dates are Fed (New York) dates:
-- settled_on = the original entry's settlement date, return_on = the return's.
-- Inputs: $codes (the unauthorized return codes). Grain: one row per returned payment.
SELECT
    p.payment_id,
    p.client_id,
    p.rail_id,
    p.txn_type,
    p.direction,
    p.code,
    p.amount_minor,
    p.currency,
    p.ach_trace_number,
    p.returned_at,
    CAST(timezone('America/New_York', p.final_at) AS DATE) AS settled_on,
    CAST(timezone('America/New_York', p.returned_at) AS DATE) AS return_on
FROM payments AS p
WHERE p.rail_id = 'ACH'
    AND p.status = 'returned'
    AND p.dc = 'debit'
    AND list_contains($codes, p.code)
    AND NOT EXISTS (
        SELECT 1 FROM dispute_cases AS d
        WHERE d.network = 'nacha'
            AND (d.payment_id = p.payment_id OR d.external_ref = p.ach_trace_number)
    )
ORDER BY p.returned_at, p.payment_id
