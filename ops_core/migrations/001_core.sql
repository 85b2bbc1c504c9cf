-- 001: reference tables, the internal ledger and its status history.
-- Money is BIGINT minor units with a currency; every timestamp is TIMESTAMPTZ stored in UTC.

CREATE TABLE rails (
    rail_id                VARCHAR PRIMARY KEY,      -- 'ACH', 'RTP', ...
    name                   VARCHAR NOT NULL,
    currency               VARCHAR NOT NULL,
    settlement_model       VARCHAR NOT NULL CHECK (settlement_model IN ('gross', 'net')),
    operating_hours        VARCHAR NOT NULL,         -- '24x7' or 'banking_days'
    calendar               VARCHAR NOT NULL,         -- banking-day calendar id (ops_core.calendars)
    expected_final_seconds INTEGER NOT NULL,         -- typical time from creation to final status
    stuck_after_seconds    INTEGER NOT NULL,         -- pending longer than this is stuck
    stuck_after_banking_days INTEGER,                -- for rails measured in banking days (ACH)
    settlement_lag_days    INTEGER NOT NULL,         -- banking days from final status to settlement
    cutoffs_local          VARCHAR,                  -- e.g. '10:30,14:45,16:45' (submission cut-offs)
    cutoff_timezone        VARCHAR,
    code_scheme            VARCHAR NOT NULL,         -- scheme of its failure/return codes
    max_amount_minor       BIGINT,
    confirmations          INTEGER,                  -- on-chain rails: confirmations before final
    source                 VARCHAR NOT NULL,
    effective_from         DATE NOT NULL,
    uncertain              BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE partners (
    partner_id VARCHAR PRIMARY KEY,
    name       VARCHAR NOT NULL,
    kind       VARCHAR NOT NULL CHECK (kind IN ('bank', 'network', 'processor', 'chain', 'psp')),
    country    VARCHAR NOT NULL
);

CREATE TABLE rail_partners (
    rail_id    VARCHAR NOT NULL,  -- rails.rail_id (no FK: reference rows are re-synced)
    partner_id VARCHAR NOT NULL,
    PRIMARY KEY (rail_id, partner_id)
);

CREATE TABLE clients (
    client_id    VARCHAR PRIMARY KEY,
    name         VARCHAR NOT NULL,
    segment      VARCHAR NOT NULL,      -- payroll, marketplace, lending, ...
    country      VARCHAR NOT NULL,
    onboarded_on DATE NOT NULL
);

-- Failure, return, decline and change codes of every scheme, as data (domain.md 1, 4.2, 5.2, 9).
CREATE TABLE codes (
    scheme         VARCHAR NOT NULL,   -- nacha_return, nacha_noc, iso20022, iso8583, spei_return, upi
    code           VARCHAR NOT NULL,
    title          VARCHAR NOT NULL,
    description    VARCHAR,
    category       VARCHAR,            -- e.g. unauthorized / administrative / other for NACHA
    return_window  VARCHAR,            -- e.g. '2 banking days', '60 calendar days'
    retry_category VARCHAR,            -- ISO 8583 Visa retry category
    source         VARCHAR NOT NULL,
    effective_from DATE NOT NULL,
    uncertain      BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (scheme, code)
);

-- The internal ledger: one row per payment attempt. A retry points at the first attempt
-- (original_payment_id) so success rate counts a payment once, by its final outcome.
CREATE TABLE payments (
    payment_id           BIGINT PRIMARY KEY,
    original_payment_id  BIGINT NOT NULL,          -- = payment_id on a first attempt
    attempt_no           SMALLINT NOT NULL DEFAULT 1,
    original_created_at  TIMESTAMPTZ NOT NULL,     -- created_at of the first attempt (rollup key)
    client_id            VARCHAR NOT NULL,
    rail_id              VARCHAR NOT NULL,
    partner_id           VARCHAR NOT NULL,
    direction            VARCHAR NOT NULL CHECK (direction IN ('push', 'pull')),
    dc                   VARCHAR NOT NULL CHECK (dc IN ('debit', 'credit')),
    txn_type             VARCHAR,                  -- SEC code (PPD, CCD, WEB), OCT/AFT, P2P, B2B
    amount_minor         BIGINT NOT NULL CHECK (amount_minor > 0),
    currency             VARCHAR NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL,
    final_at             TIMESTAMPTZ,              -- first terminal status (completed or failed)
    status               VARCHAR NOT NULL CHECK (status IN ('pending', 'completed', 'failed', 'returned')),
    returned_at          TIMESTAMPTZ,
    code_scheme          VARCHAR,
    code                 VARCHAR,                  -- failure, decline or return code
    ach_trace_number     VARCHAR,
    end_to_end_id        VARCHAR,
    uetr                 VARCHAR,
    network_txn_id       VARCHAR,
    tx_hash              VARCHAR,
    log_index            INTEGER,
    counterparty_name    VARCHAR,
    counterparty_account VARCHAR,
    source_file_id       BIGINT,                   -- provenance when loaded from a file
    source_line          INTEGER
);

-- Status history: latency and stuck time are computed from it.
CREATE TABLE payment_events (
    payment_id BIGINT NOT NULL,
    seq        SMALLINT NOT NULL,
    status     VARCHAR NOT NULL,   -- created, submitted, accepted, completed, failed, returned
    event_at   TIMESTAMPTZ NOT NULL,
    code       VARCHAR
);

-- Audit trail for every write a person makes (who, when, what, old, new).
CREATE SEQUENCE audit_seq;
CREATE TABLE audit_log (
    audit_id   BIGINT PRIMARY KEY DEFAULT nextval('audit_seq'),
    event_at   TIMESTAMPTZ NOT NULL,
    actor      VARCHAR NOT NULL,
    entity     VARCHAR NOT NULL,   -- 'break', 'dispute', 'alert', ...
    entity_id  VARCHAR NOT NULL,
    field      VARCHAR NOT NULL,
    old_value  VARCHAR,
    new_value  VARCHAR
);

-- When data last changed: pages pass it to their caches so new data invalidates them.
CREATE TABLE data_version (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    version    BIGINT NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL,
    as_of      TIMESTAMPTZ              -- the "now" of the data (demo data ends here)
);
INSERT INTO data_version VALUES (1, 0, now(), NULL);
