-- Nothing to pair again by id: every item is paired ($all in pass_exact and pairs_delete).
-- dirty_none_ext does the same for the external side. Grain: an empty table.
CREATE OR REPLACE TEMP TABLE rx_dirty_l (payment_id BIGINT)
