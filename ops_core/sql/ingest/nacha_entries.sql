-- Entry Detail (6) records of a NACHA file the fast path checked (ops_core/ingest/fast_nacha.py),
-- their fields sliced by position (domain.md 2.2) and stripped exactly as the parser does, by
-- numpy (_entry_fields), the amount read and the direction (transaction code 2x/3x: credit)
-- decided by its checks. Inputs: nacha_fast_entries (line, batch, addenda_count, category,
-- amount_minor, credit, transaction_code, rdfi_routing, account, individual_id,
-- individual_name, trace_number), nacha_fast_batches (the batch header fields); $file_id.
-- Grain: one row per entry.
INSERT INTO ach_entries (
    source_file_id, source_line, batch_number, service_class, sec_code, company_name,
    company_id, company_entry_description, effective_date, transaction_code, dc,
    rdfi_routing, account, amount_minor, currency, individual_id, individual_name,
    trace_number, addenda_count, category
)
SELECT
    $file_id,
    e.line,
    b.batch_number,
    b.service_class,
    b.sec_code,
    b.company_name,
    b.company_id,
    b.description,
    b.effective_date,
    e.transaction_code,
    CASE WHEN e.credit THEN 'credit' ELSE 'debit' END,
    e.rdfi_routing,
    e.account,
    e.amount_minor,
    'USD',
    e.individual_id,
    e.individual_name,
    e.trace_number,
    e.addenda_count,
    e.category
FROM nacha_fast_entries AS e
INNER JOIN nacha_fast_batches AS b ON e.batch = b.batch
