-- Writes the entries the camt fast path checked (ops_core/ingest/fast_camt.py) as
-- bank statement lines, as camt.entry builds them: signed minor units, the entry's XML path
-- as provenance (no line), the statement's Id and account. Inputs: temp table camt_fast;
-- $file_id. Grain: one row per Ntry.
INSERT INTO bank_statement_lines (
    source_file_id, source_line, xml_path, statement_id, account, amount_minor, currency, dc,
    type_code, booking_date, value_date, bank_reference, customer_reference, text, status,
    end_to_end_id, return_reason, reversal
)
SELECT
    $file_id,
    NULL,
    xml_path,
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
    status,
    end_to_end_id,
    return_reason,
    reversal
FROM camt_fast
