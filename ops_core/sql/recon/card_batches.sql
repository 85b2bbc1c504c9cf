-- The card settlement batches no kept match has tied to a bank line yet, totalled per batch,
-- currency, rail and partner: read once a run for every card_batch rule of the batch pass
-- (pass_batch), which used to total the same 3 million card rows once per rule.
-- Inputs: recon_ext_items, recon_matches. Grain: one row per batch, currency, rail, partner.
CREATE OR REPLACE TEMP TABLE rx_card_batches AS
SELECT batch_id, currency, rail_id, partner_id, sum(net_minor) AS net_minor,
    max(value_date) AS day, count(*) AS items
FROM recon_ext_items
WHERE source_table = 'card_settlements' AND batch_id IS NOT NULL
    AND batch_id NOT IN (
        SELECT substr(group_key, 7) FROM recon_matches WHERE kind = 'batch_to_line')
GROUP BY batch_id, currency, rail_id, partner_id
