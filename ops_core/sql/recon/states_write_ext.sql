-- Write this run's other external item states (a person-resolved break makes its items
-- 'resolved'). Inputs: rx_eexc, rx_resolved; $run_id. Grain: one row per such external item.
INSERT INTO recon_ext_exc
SELECT s.ext_id,
    CASE WHEN s.state = 'break' AND r.item_id IS NOT NULL THEN 'resolved' ELSE s.state END,
    s.rule_id, s.payment_id, s.match_id, s.category, s.reason, $run_id
FROM rx_eexc AS s
LEFT JOIN (SELECT item_id FROM rx_resolved WHERE side = 'external') AS r ON r.item_id = s.ext_id
