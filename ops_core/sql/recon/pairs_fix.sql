-- Pairs the duplicate step re-paired (dup_insert), empty until it runs: see pairs_view.
-- Grain: one row per re-paired pair or left-over duplicate item.
CREATE OR REPLACE TEMP TABLE rx_pairs_fix (
    payment_id BIGINT, ext_id BIGINT, rule_id VARCHAR, outcome VARCHAR, other_id BIGINT
)
