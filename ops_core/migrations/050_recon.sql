-- 050: reconciliation (ops_core/recon): the ledger (payments) against what banks, networks
-- and chains say (the ingest tables of 010/011), the matches found, and the breaks people
-- work until they are closed. Money is BIGINT minor units with its currency; instants are
-- TIMESTAMPTZ in UTC; bank and settlement dates are DATEs. No foreign keys to payments or
-- the ingest tables: the demo rebuild deletes and reloads both, and a run purges what is gone.

-- Rule tables, synced from ops_core/reference/*.csv at the start of every run (rules as data:
-- change a CSV, not code). See ops_core/recon/rules.py for the meaning of each column.
CREATE TABLE recon_rules (
    rule_id          VARCHAR PRIMARY KEY,
    priority         INTEGER NOT NULL,
    pass             VARCHAR NOT NULL CHECK (pass IN ('exact', 'tolerance', 'batch', 'return')),
    rail_id          VARCHAR NOT NULL,            -- '*' = every rail
    partner_id       VARCHAR NOT NULL,            -- '*' = every partner
    ext_source       VARCHAR NOT NULL,            -- ingest table the rule reads
    ledger_key       VARCHAR,                     -- payments reference column (allowlisted)
    ext_key          VARCHAR,                     -- external reference column (allowlisted)
    type_codes       VARCHAR,                     -- bank transaction codes the rule applies to, '|'-separated
    group_by         VARCHAR,                     -- batch pass: partner_day, client_day, card_batch
    on_duplicate     VARCHAR,                     -- break | supersede (status reports)
    amount_tol_minor BIGINT NOT NULL,
    amount_tol_bps   INTEGER NOT NULL,
    fee_max_minor    BIGINT NOT NULL,             -- a shortfall on money in up to this is a netted fee
    fee_fixed_minor  BIGINT,                      -- expected fee = fixed + amount * bps / 10000
    fee_bps          INTEGER,
    date_window_days INTEGER,                     -- banking days either side (tolerance, batch)
    late_after_days  INTEGER,                     -- banking days after the final day; later is late
    counterparty_min DOUBLE,                      -- minimum name similarity, 0..1
    description      VARCHAR NOT NULL,
    source           VARCHAR NOT NULL,
    effective_from   DATE NOT NULL
);

-- Which rail and partner an external account, card network or chain belongs to.
CREATE TABLE recon_accounts (
    ext_source     VARCHAR NOT NULL,
    account        VARCHAR NOT NULL,
    rail_id        VARCHAR NOT NULL,
    partner_id     VARCHAR NOT NULL,
    currency       VARCHAR NOT NULL,
    description    VARCHAR NOT NULL,
    source         VARCHAR NOT NULL,
    effective_from DATE NOT NULL,
    PRIMARY KEY (ext_source, account)
);

CREATE TABLE break_sla (
    category             VARCHAR NOT NULL,        -- '*' = every category
    min_amount_usd_minor BIGINT NOT NULL,
    min_age_days         INTEGER NOT NULL,
    severity             VARCHAR NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    sla_hours            INTEGER NOT NULL,
    escalate_to          VARCHAR NOT NULL,
    source               VARCHAR NOT NULL,
    effective_from       DATE NOT NULL
);

CREATE TABLE break_routing (
    priority             INTEGER NOT NULL,
    rail_id              VARCHAR NOT NULL,
    partner_id           VARCHAR NOT NULL,
    category             VARCHAR NOT NULL,
    min_amount_usd_minor BIGINT NOT NULL,
    queue                VARCHAR NOT NULL,
    owner                VARCHAR,
    source               VARCHAR NOT NULL,
    effective_from       DATE NOT NULL
);

-- One row per run: what went in, what came out, how long it took.
CREATE SEQUENCE recon_run_seq START 1;
CREATE TABLE recon_runs (
    run_id      BIGINT PRIMARY KEY DEFAULT nextval('recon_run_seq'),
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    as_of       TIMESTAMPTZ NOT NULL,             -- the data's "now" the run judged against
    actor       VARCHAR NOT NULL,
    status      VARCHAR NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    inputs      VARCHAR NOT NULL DEFAULT '{}',    -- JSON: files and rows staged, ledger rows
    counts      VARCHAR NOT NULL DEFAULT '{}',    -- JSON: items by state, breaks new/closed/open
    duration_ms BIGINT,
    message     VARCHAR
);

-- Source files already turned into external items (staging is incremental: new files only).
CREATE TABLE recon_staged_files (
    file_id   BIGINT NOT NULL,
    run_id    BIGINT NOT NULL,
    items     BIGINT NOT NULL,
    staged_at TIMESTAMPTZ NOT NULL
);

-- Every external row, normalised: one shape for bank lines, card settlements, chain transfers,
-- status reports, pacs messages, returns and NOCs, with its provenance (file + line or XML path).
CREATE TABLE recon_ext_items (
    ext_id         BIGINT NOT NULL,
    source_table   VARCHAR NOT NULL,
    source_file_id BIGINT NOT NULL,
    source_line    INTEGER,
    xml_path       VARCHAR,
    role           VARCHAR NOT NULL,    -- settlement, return, noc
    rail_id        VARCHAR,             -- from recon_accounts (NULL: learnt from the match)
    partner_id     VARCHAR,
    account        VARCHAR,
    ref            VARCHAR,             -- the reference the rules match on
    flow           VARCHAR,             -- in | out (NULL: the source does not say)
    amount_minor   BIGINT,              -- unsigned; NULL when the source has no amount (pacs.002)
    currency       VARCHAR,
    fee_minor      BIGINT,
    net_minor      BIGINT,
    value_date     DATE,
    ext_status     VARCHAR NOT NULL,    -- settled, pending, rejected, reversed
    reason_code    VARCHAR,
    counterparty   VARCHAR,
    batch_id       VARCHAR,
    type_code      VARCHAR,
    trusted        BOOLEAN NOT NULL,    -- source_files.control_ok
    run_id         BIGINT NOT NULL
);

-- Matches the tolerance and batch passes found: kept across runs (exact matches are re-derived
-- by every run from the references, deterministically).
CREATE SEQUENCE recon_match_seq START 1;
CREATE TABLE recon_matches (
    match_id            BIGINT PRIMARY KEY DEFAULT nextval('recon_match_seq'),
    run_id              BIGINT NOT NULL,
    rule_id             VARCHAR NOT NULL,
    pass                VARCHAR NOT NULL,
    kind                VARCHAR NOT NULL,   -- one_to_one, many_to_one, batch_to_line
    ledger_ids          BIGINT[] NOT NULL,
    ext_ids             BIGINT[] NOT NULL,  -- the bank line first, then any batch rows
    group_key           VARCHAR,
    ledger_amount_minor BIGINT,
    ext_amount_minor    BIGINT,
    currency            VARCHAR NOT NULL,
    category            VARCHAR,            -- NULL: clean; else the break category of the pair
    score               DOUBLE NOT NULL,
    reason              VARCHAR NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL
);

-- The state of every ledger item and every external item after the last run: exactly one row
-- each (matched, linked, in_flight, no_movement, not_covered, break, resolved).
CREATE TABLE recon_ledger_state (
    payment_id BIGINT NOT NULL,
    state      VARCHAR NOT NULL,
    rule_id    VARCHAR,
    ext_id     BIGINT,
    match_id   BIGINT,
    category   VARCHAR,
    reason     VARCHAR,
    run_id     BIGINT NOT NULL
);

CREATE TABLE recon_ext_state (
    ext_id     BIGINT NOT NULL,
    state      VARCHAR NOT NULL,
    rule_id    VARCHAR,
    payment_id BIGINT,
    match_id   BIGINT,
    category   VARCHAR,
    reason     VARCHAR,
    run_id     BIGINT NOT NULL
);

-- Balance tie-out per bank account and day, replaced by every run.
CREATE TABLE recon_balances (
    run_id                  BIGINT NOT NULL,
    account                 VARCHAR NOT NULL,
    day                     DATE NOT NULL,
    currency                VARCHAR NOT NULL,
    opening_minor           BIGINT,
    ledger_movements_minor  BIGINT NOT NULL,
    bank_movements_minor    BIGINT NOT NULL,
    expected_closing_minor  BIGINT,
    closing_minor           BIGINT,
    variance_minor          BIGINT,
    explained_minor         BIGINT NOT NULL,
    gap_minor               BIGINT NOT NULL,   -- opening minus the previous statement's closing
    unexplained_minor       BIGINT,
    bank_lines              BIGINT NOT NULL,
    source_file_id          BIGINT
);

-- A break: one difference someone owns until it is closed. People edit status, assignee,
-- queue, notes and resolution through ops_core.audit.update (version-checked, audited).
CREATE SEQUENCE recon_break_seq START 1;
CREATE TABLE recon_breaks (
    break_id            BIGINT PRIMARY KEY DEFAULT nextval('recon_break_seq'),
    break_key           VARCHAR NOT NULL,     -- natural key of the finding (unique by construction)
    category            VARCHAR NOT NULL CHECK (category IN (
                            'missing_at_bank', 'unknown_bank_item', 'amount_mismatch', 'duplicate',
                            'currency_fx', 'fee_variance', 'late_settlement', 'status_mismatch',
                            'unmatched_return', 'unexplained_balance')),
    side                VARCHAR NOT NULL CHECK (side IN ('ledger', 'external', 'both', 'account')),
    payment_id          BIGINT,
    ext_id              BIGINT,
    match_id            BIGINT,
    account             VARCHAR,
    rail_id             VARCHAR,
    partner_id          VARCHAR,
    currency            VARCHAR NOT NULL,
    ledger_amount_minor BIGINT,
    ext_amount_minor    BIGINT,
    difference_minor    BIGINT,               -- external minus ledger
    exposure_minor      BIGINT NOT NULL,      -- the amount at stake, in currency
    exposure_usd_minor  BIGINT NOT NULL,      -- the same in USD cents (fx_reference_rates.csv)
    field               VARCHAR NOT NULL,     -- which field differs
    ledger_value        VARCHAR,
    ext_value           VARCHAR,
    detail              VARCHAR NOT NULL,
    item_date           DATE NOT NULL,        -- the day the money moved or should have: aging
    rule_id             VARCHAR,
    detected_at         TIMESTAMPTZ NOT NULL,
    first_run_id        BIGINT NOT NULL,
    last_run_id         BIGINT NOT NULL,
    severity            VARCHAR NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    sla_due_at          TIMESTAMPTZ NOT NULL,
    queue               VARCHAR NOT NULL,
    assignee            VARCHAR,
    status              VARCHAR NOT NULL CHECK (status IN (
                            'open', 'investigating', 'escalated', 'resolved', 'written_off')),
    resolution_category VARCHAR,
    notes               VARCHAR,
    resolved_at         TIMESTAMPTZ,
    resolved_by         VARCHAR,
    closed_reason       VARCHAR,
    escalated_at        TIMESTAMPTZ,
    version             INTEGER NOT NULL DEFAULT 1
);
