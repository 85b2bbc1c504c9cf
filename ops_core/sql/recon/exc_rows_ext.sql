-- The staged external rows of every item in a kept pair that is not clean (rx_pairs_exc), with
-- the columns the later steps read: as exc_rows_ledger, for leftover_ext, findings_pairs and
-- findings_unpaired. Inputs: recon_ext_items, rx_pairs_exc. Grain: one row per such item.
CREATE OR REPLACE TEMP TABLE rx_xe AS
SELECT
    e.ext_id, e.source_table, e.role, e.rail_id, e.partner_id, e.account, e.ref, e.flow,
    e.amount_minor, e.currency, e.fee_minor, e.net_minor, e.value_date, e.ext_status,
    e.reason_code, e.counterparty, e.batch_id, e.type_code
FROM recon_ext_items AS e
WHERE e.ext_id IN (SELECT ext_id FROM rx_pairs_exc WHERE ext_id IS NOT NULL)
