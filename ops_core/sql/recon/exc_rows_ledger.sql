-- The ledger rows of every payment in a kept pair that is not clean (rx_pairs_exc): a missing
-- or unpaired payment, one side of a break, a duplicate. Fetched once a run for the steps
-- that read exceptions' columns (leftover_ledger, findings_pairs, findings_unpaired); each of
-- them used to find its few rows among the 10 million staged ones by itself, decompressing
-- their reference strings every time (0.1 to 0.2 s a step at 10M).
-- Inputs: rx_ledger, rx_pairs_exc. Grain: one row per such payment.
CREATE OR REPLACE TEMP TABLE rx_xl AS
SELECT l.*
FROM rx_ledger AS l
WHERE l.payment_id IN (SELECT payment_id FROM rx_pairs_exc WHERE payment_id IS NOT NULL)
