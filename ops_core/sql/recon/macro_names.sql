-- rx_names(kind): the names behind the one-byte codes of the engine's narrow tables, in code
-- order from 0: 'status' of recon_ledger_items (ledger.sql), 'verdict' (verdicts), 'outcome'
-- of rx_pairs_x (pass_exact: the pair outcomes, then the ledger verdicts, so an unpaired payment's outcome
-- is the code of 'not_covered' + its verdict; then the duplicate step's outcomes, kept in
-- recon_pairs). Codes are stored (recon_pairs, migration 062): append, never reorder. rx_code encodes with it, the rx_ledger and
-- rx_pairs views decode with it: each code is written here only. Inputs: none. Grain: a macro.
CREATE OR REPLACE TEMP MACRO rx_names(kind) AS CASE kind
    WHEN 'status' THEN ['failed', 'pending', 'completed', 'returned']
    WHEN 'verdict' THEN ['not_covered', 'no_movement', 'in_flight', 'missing_at_bank']
    WHEN 'outcome' THEN ['ok', 'ok_tolerance', 'pending', 'ext_pending', 'unknown_bank_item',
        'status_mismatch', 'currency_fx', 'amount_mismatch', 'fee_variance', 'late_settlement',
        'not_covered', 'no_movement', 'in_flight', 'missing_at_bank', 'duplicate', 'superseded']
END
