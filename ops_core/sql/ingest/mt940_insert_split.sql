-- Writes the statement lines the MT940 fast path split with numpy
-- (ops_core/ingest/fast_mt940.py, _split: the common layout) as mt940_insert does for the
-- ones read in SQL: signed minor units, the statement id "<:20:>/<:28C:>", the account and
-- currency of the statement. Inputs: mt940_split (line, statement_no, amount_minor, debit,
-- reversal, type_code, booking_date, value_date, bank_reference, customer_reference,
-- text), mt940_statements (statement_no -> account, currency, statement_id); $file_id.
-- Grain: one row per :61: line.
INSERT INTO bank_statement_lines (
    source_file_id, source_line, xml_path, statement_id, account, amount_minor, currency, dc,
    type_code, booking_date, value_date, bank_reference, customer_reference, text, status,
    end_to_end_id, return_reason, reversal
)
SELECT
    $file_id,
    s.line,
    NULL,
    i.statement_id,
    i.account,
    s.amount_minor,
    i.currency,
    CASE WHEN s.debit THEN 'debit' ELSE 'credit' END,
    s.type_code,
    s.booking_date,
    s.value_date,
    s.bank_reference,
    s.customer_reference,
    s.text,
    'BOOK',
    '',
    '',
    s.reversal
FROM mt940_split AS s
INNER JOIN mt940_statements AS i ON s.statement_no = i.statement_no
