-- The field changes the engine makes to breaks in this run, audited at the end (who, when,
-- field, old, new), like a person's edits through ops_core.audit. Inputs: none.
-- Grain: one row per changed field.
CREATE OR REPLACE TEMP TABLE rx_changes (
    break_id  BIGINT NOT NULL,
    seq       INTEGER NOT NULL,
    field     VARCHAR NOT NULL,
    old_value VARCHAR,
    new_value VARCHAR
)
