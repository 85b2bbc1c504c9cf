-- 051: item states stored compactly. A clean exact pair (the vast majority) is one row of
-- recon_matched serving both sides; every other state is a row of recon_ledger_exc or
-- recon_ext_exc. The views recon_ledger_state and recon_ext_state give exactly one state per
-- ledger item and per external item, as the tables of 050 did (writing 2 x 10 million wide
-- rows per run was most of the engine's time; see BENCHMARKS.md, Reconciliation).

DROP TABLE recon_ledger_state;
DROP TABLE recon_ext_state;

CREATE TABLE recon_matched (
    payment_id BIGINT NOT NULL,
    ext_id     BIGINT NOT NULL,
    rule_id    VARCHAR,
    run_id     BIGINT NOT NULL
);

CREATE TABLE recon_ledger_exc (
    payment_id BIGINT NOT NULL,
    state      VARCHAR NOT NULL,
    rule_id    VARCHAR,
    ext_id     BIGINT,
    match_id   BIGINT,
    category   VARCHAR,
    reason     VARCHAR,
    run_id     BIGINT NOT NULL
);

CREATE TABLE recon_ext_exc (
    ext_id     BIGINT NOT NULL,
    state      VARCHAR NOT NULL,
    rule_id    VARCHAR,
    payment_id BIGINT,
    match_id   BIGINT,
    category   VARCHAR,
    reason     VARCHAR,
    run_id     BIGINT NOT NULL
);

CREATE VIEW recon_ledger_state AS
SELECT payment_id, 'matched' AS state, rule_id, ext_id, NULL::BIGINT AS match_id,
    NULL::VARCHAR AS category, NULL::VARCHAR AS reason, run_id
FROM recon_matched
UNION ALL
SELECT payment_id, state, rule_id, ext_id, match_id, category, reason, run_id
FROM recon_ledger_exc;

CREATE VIEW recon_ext_state AS
SELECT ext_id, 'matched' AS state, rule_id, payment_id, NULL::BIGINT AS match_id,
    NULL::VARCHAR AS category, NULL::VARCHAR AS reason, run_id
FROM recon_matched
UNION ALL
SELECT ext_id, state, rule_id, payment_id, match_id, category, reason, run_id
FROM recon_ext_exc;
