-- rx_code(kind, name): the one-byte code of a name of rx_names(kind) (its position from 0).
-- Inputs: rx_names. Grain: a macro.
CREATE OR REPLACE TEMP MACRO rx_code(kind, name) AS
    CAST(list_position(rx_names(kind), name) - 1 AS UTINYINT)
