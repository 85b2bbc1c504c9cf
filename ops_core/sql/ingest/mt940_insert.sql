-- Writes the statement lines the MT940 fast path checked (ops_core/ingest/fast_mt940.py) as
-- mt940._line builds them: signed minor units of the statement's currency, the statement id
-- "<:20:>/<:28C:>", a reversal for RD/RC marks. Inputs: temp table mt940_fast; $file_id.
-- Grain: one row per :61: line.
INSERT INTO bank_statement_lines (
    source_file_id, source_line, xml_path, statement_id, account, amount_minor, currency, dc,
    type_code, booking_date, value_date, bank_reference, customer_reference, text, status,
    end_to_end_id, return_reason, reversal
)
SELECT
    $file_id,
    line,
    NULL,
    statement_id,
    account,
    amount_minor,
    currency,
    CASE WHEN debit THEN 'debit' ELSE 'credit' END,
    type_code,
    booking_date,
    value_date,
    bank_reference,
    customer_reference,
    text,
    'BOOK',
    '',
    '',
    reversal
FROM mt940_fast
