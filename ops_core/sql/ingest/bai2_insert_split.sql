-- Writes the transaction detail (16) records the BAI2 fast path split with numpy
-- (ops_core/ingest/fast_bai2.py, _split: the common layout) as bank statement lines, as
-- bai2_insert does for the ones split in SQL: signed minor units of the account's
-- currency, booked on the group's as-of date.
-- Inputs: bai2_split (line, account_no, amount as written, debit, type_code,
-- bank_reference, customer_reference, text), bai2_accounts (account_no -> account,
-- currency, as_of); $file_id. Grain: one row per 16 record.
INSERT INTO bank_statement_lines (
    source_file_id, source_line, xml_path, statement_id, account, amount_minor, currency, dc,
    type_code, booking_date, value_date, bank_reference, customer_reference, text, status,
    end_to_end_id, return_reason, reversal
)
SELECT
    $file_id,
    s.line,
    NULL,
    '',
    a.account,
    CASE WHEN s.debit THEN -s.amount ELSE s.amount END,
    a.currency,
    CASE WHEN s.debit THEN 'debit' ELSE 'credit' END,
    s.type_code,
    a.as_of,
    NULL,
    s.bank_reference,
    s.customer_reference,
    s.text,
    'BOOK',
    '',
    '',
    FALSE
FROM bai2_split AS s
INNER JOIN bai2_accounts AS a ON s.account_no = a.account_no
