-- rx_source(source_table): how a page names an external source ('the bank statement').
-- Inputs: none. Grain: a macro.
CREATE OR REPLACE TEMP MACRO rx_source(t) AS
    CASE t
        WHEN 'bank_statement_lines' THEN 'the bank statement'
        WHEN 'card_settlements' THEN 'the card settlement report'
        WHEN 'chain_transfers' THEN 'the chain'
        WHEN 'iso_status_reports' THEN 'the rail''s status report'
        WHEN 'iso_payment_messages' THEN 'the payment message'
        WHEN 'ach_returns' THEN 'the ACH return file'
        WHEN 'ach_nocs' THEN 'the ACH notification of change'
        ELSE t
    END
