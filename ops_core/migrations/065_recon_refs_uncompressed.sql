-- 065: the staged references are stored uncompressed.
-- The exact pass reads every staged reference on both sides (10 million each at the
-- benchmark's size), and the steps after it read those of the exceptions, a few rows in
-- every block. DuckDB stores such unique strings as DICT_FSST, which must decode a block to
-- read any row of it. Measured on a copy of the 10 million staged external references (16
-- characters on average, 3 rounds each): reading all of them 0.05 s instead of 0.15 s,
-- fetching the 57,503 exceptions' 0.07 s instead of 0.16 to 0.18 s, writing them 1.2 s
-- instead of 1.6 to 1.8 s, for 192 MB on disk instead of 87 MB. Same columns, order and data.
CREATE TABLE recon_ext_items_065 (
    ext_id         BIGINT NOT NULL,
    source_table   VARCHAR NOT NULL,
    source_file_id BIGINT NOT NULL,
    source_line    INTEGER,
    xml_path       VARCHAR,
    "role"         VARCHAR NOT NULL,
    rail_id        VARCHAR,
    partner_id     VARCHAR,
    account        VARCHAR,
    "ref"          VARCHAR USING COMPRESSION uncompressed,
    flow           VARCHAR,
    amount_minor   BIGINT,
    currency       VARCHAR,
    fee_minor      BIGINT,
    net_minor      BIGINT,
    value_date     DATE,
    ext_status     VARCHAR NOT NULL,
    reason_code    VARCHAR,
    counterparty   VARCHAR,
    batch_id       VARCHAR,
    type_code      VARCHAR,
    "trusted"      BOOLEAN NOT NULL,
    run_id         BIGINT NOT NULL,
    flow_in        BOOLEAN,
    status_code    UTINYINT,
    cur_code       UBIGINT
);

INSERT INTO recon_ext_items_065 SELECT * FROM recon_ext_items;

DROP TABLE recon_ext_items;

ALTER TABLE recon_ext_items_065 RENAME TO recon_ext_items;

CREATE TABLE recon_ledger_items_065 (
    payment_id   BIGINT NOT NULL,
    combo_no     UINTEGER NOT NULL,
    rule_no      USMALLINT,
    src          TINYINT,
    "ref"        VARCHAR USING COMPRESSION uncompressed,
    l_in         BOOLEAN,
    amount_minor BIGINT,
    cur          UBIGINT,
    st           UTINYINT,
    item_day     DATE,
    late_from    DATE,
    seq          BIGINT
);

INSERT INTO recon_ledger_items_065 SELECT * FROM recon_ledger_items;

DROP TABLE recon_ledger_items;

ALTER TABLE recon_ledger_items_065 RENAME TO recon_ledger_items;
