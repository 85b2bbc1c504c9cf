-- The kept pairs that are not clean (rx_pairs without the outcomes ok and ok_tolerance): what
-- the item states' exceptions are made of (ledger_states, ext_states). Filtered on the
-- one-byte outcome code before the strings are made: a filter on rx_pairs' string outcome
-- turns 10 million codes into strings to keep a few hundred thousand rows (0.15 s a side at
-- 10M). Inputs: recon_pairs, rx_rule_no, rx_names. Grain: one row per kept pair, unpaired
-- item or left-over duplicate that is not a clean pair.
CREATE OR REPLACE TEMP VIEW rx_pairs_exc AS
SELECT
    payment_id,
    ext_id,
    (SELECT list(rule_id ORDER BY rule_no) FROM rx_rule_no)[rule_no] AS rule_id,
    rx_names('outcome')[outcome + 1] AS outcome,
    other_id
FROM recon_pairs
WHERE outcome NOT IN (rx_code('outcome', 'ok'), rx_code('outcome', 'ok_tolerance'))
