-- Nothing to pair again by id on the external side (see dirty_none). Grain: an empty table.
CREATE OR REPLACE TEMP TABLE rx_dirty_e (ext_id BIGINT)
