-- Write this run's other ledger item states (a person-resolved break makes its items
-- 'resolved'). Inputs: rx_lexc, rx_resolved; $run_id. Grain: one row per such payment.
INSERT INTO recon_ledger_exc
SELECT s.payment_id,
    CASE WHEN s.state = 'break' AND r.item_id IS NOT NULL THEN 'resolved' ELSE s.state END,
    s.rule_id, s.ext_id, s.match_id, s.category, s.reason, $run_id
FROM rx_lexc AS s
LEFT JOIN (SELECT item_id FROM rx_resolved WHERE side = 'ledger') AS r ON r.item_id = s.payment_id
