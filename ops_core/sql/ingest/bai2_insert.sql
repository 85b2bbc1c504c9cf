-- Writes the transaction detail (16) records the BAI2 fast path checked
-- (ops_core/ingest/fast_bai2.py) as bank statement lines: signed minor units of the
-- account's currency, booked on the group's as-of date, as bai2._detail builds them.
-- Inputs: temp table bai2_details, bai2_accounts (account_no -> account, currency, as_of);
-- $file_id. Grain: one row per 16 record.
INSERT INTO bank_statement_lines (
    source_file_id, source_line, xml_path, statement_id, account, amount_minor, currency, dc,
    type_code, booking_date, value_date, bank_reference, customer_reference, text, status,
    end_to_end_id, return_reason, reversal
)
SELECT
    $file_id,
    d.line,
    NULL,
    '',
    a.account,
    CASE WHEN d.txn = 'DB' THEN -d.amount ELSE d.amount END,
    a.currency,
    CASE WHEN d.txn = 'DB' THEN 'debit' ELSE 'credit' END,
    d.type_code,
    a.as_of,
    NULL,
    d.bank_reference,
    d.customer_reference,
    d.text,
    'BOOK',
    '',
    '',
    FALSE
FROM bai2_details AS d
INNER JOIN bai2_accounts AS a ON d.account_no = a.account_no
