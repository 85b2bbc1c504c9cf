-- The exact pass's pairs as the later steps read them: rx_pairs_x (written narrow by
-- pass_exact: outcome code, rule number) with the outcome and rule_id as strings, plus the
-- rows the duplicate step re-paired (rx_pairs_fix, written by dup_insert, with other_id: the
-- item of the same side that a duplicate repeats). A view: only the steps that read a pair
-- pay for its strings, most of them for a few rows.
-- Inputs: rx_pairs_x, rx_pairs_fix, rx_rule_no, rx_names. Grain: as pass_exact.
CREATE OR REPLACE TEMP VIEW rx_pairs AS
SELECT
    x.payment_id,
    x.ext_id,
    (SELECT list(rule_id ORDER BY rule_no) FROM rx_rule_no)[x.rule_no] AS rule_id,
    rx_names('outcome')[x.outcome + 1] AS outcome,
    NULL::BIGINT AS other_id
FROM rx_pairs_x AS x
UNION ALL
SELECT payment_id, ext_id, rule_id, outcome, other_id FROM rx_pairs_fix
