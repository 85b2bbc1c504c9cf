-- 010: loaded source files and the rows parsed from them (ops_core/ingest).
-- Every row keeps where it came from: source_file_id + source_line (line formats) or
-- xml_path (ISO 20022). Money is BIGINT minor units with its currency, never float.

CREATE SEQUENCE source_files_seq START 1;

CREATE TABLE source_files (
    file_id       BIGINT PRIMARY KEY DEFAULT nextval('source_files_seq'),
    sha256        VARCHAR NOT NULL UNIQUE,   -- dedupe: the same bytes load once
    original_name VARCHAR NOT NULL,          -- display only, never used as a path
    format        VARCHAR NOT NULL,          -- nacha, bai2, iso20022, mt940, card_csv, usdc_*
    size_bytes    BIGINT NOT NULL,
    row_count     BIGINT NOT NULL,
    totals        VARCHAR NOT NULL,          -- JSON: the parser's FileTotals counts/amounts
    loaded_at     TIMESTAMPTZ NOT NULL,
    loaded_by     VARCHAR NOT NULL,
    warnings      VARCHAR NOT NULL DEFAULT '[]'   -- JSON array of strings
);

-- BAI2 16, camt Ntry, MT940 :61:
CREATE TABLE bank_statement_lines (
    source_file_id     BIGINT NOT NULL REFERENCES source_files (file_id),
    source_line        INTEGER,
    xml_path           VARCHAR,
    statement_id       VARCHAR,
    account            VARCHAR NOT NULL,
    amount_minor       BIGINT NOT NULL,          -- signed: credit +, debit -
    currency           VARCHAR NOT NULL,
    dc                 VARCHAR NOT NULL CHECK (dc IN ('credit', 'debit')),
    type_code          VARCHAR,
    booking_date       DATE,
    value_date         DATE,
    bank_reference     VARCHAR,
    customer_reference VARCHAR,
    text               VARCHAR,
    status             VARCHAR,
    end_to_end_id      VARCHAR,
    return_reason      VARCHAR,
    reversal           BOOLEAN NOT NULL DEFAULT FALSE
);

-- BAI2 03 status codes, camt Bal, MT940 :60:/:62:/:64:/:65:
CREATE TABLE bank_balances (
    source_file_id BIGINT NOT NULL REFERENCES source_files (file_id),
    source_line    INTEGER,
    xml_path       VARCHAR,
    statement_id   VARCHAR,
    account        VARCHAR NOT NULL,
    balance_type   VARCHAR NOT NULL,
    amount_minor   BIGINT NOT NULL,              -- signed
    currency       VARCHAR NOT NULL,
    as_of          DATE
);

CREATE TABLE ach_entries (
    source_file_id            BIGINT NOT NULL REFERENCES source_files (file_id),
    source_line               INTEGER NOT NULL,
    batch_number              INTEGER NOT NULL,
    service_class             VARCHAR NOT NULL,
    sec_code                  VARCHAR NOT NULL,
    company_name              VARCHAR,
    company_id                VARCHAR,
    company_entry_description VARCHAR,
    effective_date            VARCHAR,
    transaction_code          VARCHAR NOT NULL,
    dc                        VARCHAR NOT NULL CHECK (dc IN ('credit', 'debit')),
    rdfi_routing              VARCHAR NOT NULL,
    account                   VARCHAR,
    amount_minor              BIGINT NOT NULL CHECK (amount_minor >= 0),
    currency                  VARCHAR NOT NULL,
    individual_id             VARCHAR,
    individual_name           VARCHAR,
    trace_number              VARCHAR NOT NULL,
    addenda_count             INTEGER NOT NULL,
    category                  VARCHAR NOT NULL   -- forward, prenote, return, noc
);

CREATE TABLE ach_returns (
    source_file_id                    BIGINT NOT NULL REFERENCES source_files (file_id),
    source_line                       INTEGER NOT NULL,
    entry_line                        INTEGER NOT NULL,
    entry_trace_number                VARCHAR NOT NULL,
    kind                              VARCHAR NOT NULL,  -- return, dishonored, contested
    return_code                       VARCHAR NOT NULL,
    original_trace                    VARCHAR,
    original_rdfi                     VARCHAR,
    amount_minor                      BIGINT NOT NULL,
    currency                          VARCHAR NOT NULL,
    addenda_info                      VARCHAR,
    date_of_death                     VARCHAR,
    return_trace                      VARCHAR,
    return_settlement_date            VARCHAR,
    return_reason_code                VARCHAR,
    dishonored_return_trace           VARCHAR,
    dishonored_return_settlement_date VARCHAR,
    dishonored_return_reason_code     VARCHAR,
    trace_number                      VARCHAR
);

CREATE TABLE ach_nocs (
    source_file_id     BIGINT NOT NULL REFERENCES source_files (file_id),
    source_line        INTEGER NOT NULL,
    entry_line         INTEGER NOT NULL,
    entry_trace_number VARCHAR NOT NULL,
    change_code        VARCHAR NOT NULL,
    original_trace     VARCHAR,
    original_rdfi      VARCHAR,
    corrected_data     VARCHAR,
    trace_number       VARCHAR
);

-- pacs.008 credit transfers and pacs.004 returns
CREATE TABLE iso_payment_messages (
    source_file_id         BIGINT NOT NULL REFERENCES source_files (file_id),
    xml_path               VARCHAR NOT NULL,
    message_type           VARCHAR NOT NULL,
    msg_id                 VARCHAR,
    end_to_end_id          VARCHAR,
    tx_id                  VARCHAR,
    uetr                   VARCHAR,
    amount_minor           BIGINT NOT NULL,
    currency               VARCHAR NOT NULL,
    settlement_date        DATE,
    debtor                 VARCHAR,
    creditor               VARCHAR,
    return_reason          VARCHAR,
    original_end_to_end_id VARCHAR
);

-- pacs.002 status reports
CREATE TABLE iso_status_reports (
    source_file_id         BIGINT NOT NULL REFERENCES source_files (file_id),
    xml_path               VARCHAR NOT NULL,
    msg_id                 VARCHAR,
    original_msg_id        VARCHAR,
    original_end_to_end_id VARCHAR,
    original_tx_id         VARCHAR,
    original_uetr          VARCHAR,
    status                 VARCHAR NOT NULL,
    reason_code            VARCHAR,
    created_at             TIMESTAMPTZ
);

CREATE TABLE card_settlements (
    source_file_id    BIGINT NOT NULL REFERENCES source_files (file_id),
    source_line       INTEGER NOT NULL,
    settlement_date   DATE NOT NULL,
    network           VARCHAR NOT NULL,
    network_txn_id    VARCHAR NOT NULL,
    txn_type          VARCHAR NOT NULL,
    amount_minor      BIGINT NOT NULL,
    currency          VARCHAR NOT NULL,
    fee_minor         BIGINT NOT NULL,
    interchange_minor BIGINT NOT NULL,
    net_minor         BIGINT NOT NULL,
    batch_id          VARCHAR
);

-- USDC Transfer logs; natural key (chain, tx_hash, log_index) per domain.md 8.3
CREATE TABLE chain_transfers (
    source_file_id BIGINT NOT NULL REFERENCES source_files (file_id),
    source_line    INTEGER,
    chain          VARCHAR NOT NULL,
    tx_hash        VARCHAR NOT NULL,
    log_index      INTEGER NOT NULL,
    block_number   BIGINT NOT NULL,
    contract       VARCHAR NOT NULL,
    from_address   VARCHAR NOT NULL,
    to_address     VARCHAR NOT NULL,
    amount_minor   BIGINT NOT NULL,              -- base units (10^-6 USDC)
    currency       VARCHAR NOT NULL,
    removed        BOOLEAN NOT NULL,
    block_time     TIMESTAMPTZ
);
CREATE INDEX chain_transfers_key ON chain_transfers (chain, tx_hash, log_index);
