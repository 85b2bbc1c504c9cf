-- Entry Detail (6) records of a NACHA file the fast path checked (ops_core/ingest/fast_nacha.py),
-- sliced by position (domain.md 2.2; 1-based, inclusive) exactly as the parser slices them.
-- Inputs: nacha_fast_entries (line, text = the 94-character record, batch, addenda_count,
-- category), nacha_fast_batches (the batch header fields); $file_id. Grain: one row per entry.
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
    substr(e.text, 2, 2),
    CASE WHEN substr(e.text, 3, 1) IN ('1', '2', '3', '4') THEN 'credit' ELSE 'debit' END,
    substr(e.text, 4, 9),
    trim(substr(e.text, 13, 17)),
    CAST(substr(e.text, 30, 10) AS BIGINT),
    'USD',
    trim(substr(e.text, 40, 15)),
    trim(substr(e.text, 55, 22)),
    substr(e.text, 80, 15),
    e.addenda_count,
    e.category
FROM nacha_fast_entries AS e
INNER JOIN nacha_fast_batches AS b ON e.batch = b.batch
