-- The external items that are not plainly matched (breaks, in flight, linked, group lines).
-- Inputs: rx_estate. Grain: one row per such external item.
CREATE OR REPLACE TEMP TABLE rx_eexc AS
SELECT * FROM rx_estate WHERE state <> 'matched' OR match_id IS NOT NULL
