-- 021: card dispute reports, processor deadlines (issue 5; ops_core/ingest/DISPUTE_REPORT_FORMAT.md).
-- * dispute_report_rows: every row of a loaded dispute (chargeback) report, with provenance
--   (source file + line); loading one opens or advances cases (ops_core/disputes/intake.py).
-- * dispute_report_profiles: saved column mappings for processors' dispute reports.
-- * dispute_deadlines.processor_due: the acquirer/processor's own, earlier due date
--   (reference/dispute_processor_offsets.csv; domain.md §6.2 "model two deadlines per stage").
-- * dispute_cases is rebuilt so ``source`` may be 'card_report' (DuckDB cannot alter a CHECK).

ALTER TABLE dispute_deadlines ADD COLUMN processor_due DATE;
UPDATE dispute_deadlines SET processor_due = network_due;

CREATE TABLE dispute_cases_021 (
    case_id                BIGINT PRIMARY KEY DEFAULT nextval('dispute_case_seq'),
    network                VARCHAR NOT NULL CHECK (network IN ('visa', 'mastercard', 'nacha', 'reg_e')),
    payment_id             BIGINT,
    client_id              VARCHAR NOT NULL,
    rail_id                VARCHAR NOT NULL,
    txn_type               VARCHAR,
    direction              VARCHAR CHECK (direction IN ('push', 'pull')),
    rights                 VARCHAR NOT NULL CHECK (rights IN ('full', 'limited')),
    reason_code            VARCHAR NOT NULL,
    reason_category        VARCHAR NOT NULL,
    rule_category          VARCHAR NOT NULL,
    stage                  VARCHAR NOT NULL,
    stage_started_on       DATE NOT NULL,
    status                 VARCHAR NOT NULL CHECK (status IN ('new', 'in_review', 'waiting', 'closed')),
    outcome                VARCHAR CHECK (outcome IN ('won', 'lost', 'accepted', 'expired')),
    amount_disputed_minor  BIGINT NOT NULL CHECK (amount_disputed_minor > 0),
    amount_recovered_minor BIGINT NOT NULL DEFAULT 0 CHECK (amount_recovered_minor >= 0),
    currency               VARCHAR NOT NULL,
    transaction_on         DATE,
    opened_at              TIMESTAMPTZ NOT NULL,
    closed_at              TIMESTAMPTZ,
    source                 VARCHAR NOT NULL
                           CHECK (source IN ('ledger', 'ach_file', 'card_report', 'manual', 'demo')),
    external_ref           VARCHAR,                 -- network case id or ACH trace: dedupes intake
    assignee               VARCHAR,
    notes                  VARCHAR,
    version                INTEGER NOT NULL DEFAULT 1,
    UNIQUE (network, external_ref)
);
INSERT INTO dispute_cases_021 SELECT * FROM dispute_cases;
DROP TABLE dispute_cases;
ALTER TABLE dispute_cases_021 RENAME TO dispute_cases;
CREATE INDEX dispute_cases_payment ON dispute_cases (payment_id);

-- One row per data row of a dispute report, as mapped by its profile. Money in minor units.
CREATE TABLE dispute_report_rows (
    source_file_id   BIGINT NOT NULL REFERENCES source_files (file_id),
    source_line      INTEGER NOT NULL,
    network          VARCHAR NOT NULL,   -- visa | mastercard
    dispute_id       VARCHAR NOT NULL,   -- the network's / processor's case id
    network_txn_id   VARCHAR NOT NULL,   -- matches payments.network_txn_id
    arn              VARCHAR,            -- acquirer reference number (23 digits) when given
    reason_code      VARCHAR NOT NULL,
    stage            VARCHAR NOT NULL,   -- inquiry, chargeback, representment, pre_arbitration, arbitration
    amount_minor     BIGINT NOT NULL,
    currency         VARCHAR NOT NULL,
    dispute_date     DATE NOT NULL,      -- the day the dispute (first stage) was processed
    stage_date       DATE NOT NULL,      -- the day the reported stage began
    network_due_date DATE,               -- due date the report states for the stage, if any
    transaction_date DATE,
    txn_type         VARCHAR,
    card_last4       VARCHAR,
    merchant_id      VARCHAR,
    merchant_name    VARCHAR,
    outcome          VARCHAR,            -- won | lost | accepted | expired when the report closes it
    report_date      DATE
);

CREATE TABLE dispute_report_profiles (
    name       VARCHAR PRIMARY KEY,      -- [a-z0-9_], not a bundled profile's name
    definition VARCHAR NOT NULL,         -- the profile as JSON (ops_core/ingest/dispute_profile.py)
    saved_at   TIMESTAMPTZ NOT NULL,
    saved_by   VARCHAR NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1
);
