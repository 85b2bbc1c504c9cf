-- Inserts a ledger export straight from its reader, for the file that passes every check
-- (ops_core/ingest/ledger.py, fast_ledger_csv): no typed copy of the file is written first.
-- Its source, written `ledger_rows` here, is ledger_type's SELECT (ledger.py puts it in
-- place: one typing and one set of row checks for both ways of loading). A row that fails a
-- check stops the statement (error()), and so does a payment_id twice in the file or already
-- in the ledger (the primary key): the loader rolls back and loads the file the full way
-- (ledger_type, ledger_conflicts, ledger_insert), which names the line, field and problem,
-- or skips the payments the ledger already holds unchanged. Two columns are completed after
-- the insert: source_line (ledger_fast_lines, from the rows' order) and a retry's
-- original_created_at (ledger_fast_retries; created_at until then).
-- Inputs: ledger_type's SELECT over the temp view ledger_stage, with its parameters;
-- $file_id. Grain: one row per payment attempt of the file.
INSERT INTO payments BY NAME
SELECT
    CASE
        WHEN t.problem IS NULL THEN t.pid
        ELSE error('fast path: ' || t.problem.field || ': ' || t.problem.message)
    END AS payment_id,
    t.opid AS original_payment_id,
    t.attempt AS attempt_no,
    t.created_at AS original_created_at,
    t.client_id,
    t.rail_id,
    t.partner_id,
    t.direction,
    t.dc,
    t.txn_type,
    t.minor AS amount_minor,
    t.currency,
    t.created_at,
    t.final_at,
    t.status,
    t.returned_at,
    t.code_scheme,
    t.code,
    t.ach_trace_number,
    t.end_to_end_id,
    t.uetr,
    t.network_txn_id,
    t.tx_hash,
    t.log_index,
    t.counterparty_name,
    t.counterparty_account,
    $file_id AS source_file_id
FROM ledger_rows AS t
