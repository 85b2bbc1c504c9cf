-- The ledger's currencies with their cur_code (migration 056): ledger.sql writes a payment's
-- currency as the number (the exact pass compares numbers, not strings; stage_external wrote
-- the external items' codes); engine._register_currencies turns these rows into the
-- rx_currency(code) macro the rx_ledger view decodes with. Coding the
-- few distinct currencies and joining costs less than writing 10 million strings.
-- Inputs: payments. Grain: one row per currency.
CREATE OR REPLACE TEMP TABLE rx_cur AS
SELECT currency, cur_code(currency) AS cur
FROM (SELECT DISTINCT currency FROM payments)
