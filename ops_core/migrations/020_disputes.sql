-- 020: disputes, returns and their deadlines (ops_core/disputes; domain.md §1.4, §6, §7).
-- A case is one dispute on one payment: a card chargeback (Visa, Mastercard), an ACH
-- unauthorized or dishonored return (Nacha) or a Regulation E error claim. Money is BIGINT
-- minor units with its currency; instants are TIMESTAMPTZ in UTC; network dates are DATEs.
-- No foreign keys to payments: the demo rebuild deletes and reloads the ledger.

CREATE SEQUENCE dispute_case_seq START 1;
CREATE TABLE dispute_cases (
    case_id                BIGINT PRIMARY KEY DEFAULT nextval('dispute_case_seq'),
    network                VARCHAR NOT NULL CHECK (network IN ('visa', 'mastercard', 'nacha', 'reg_e')),
    payment_id             BIGINT,                  -- payments.payment_id (NULL: unknown to the ledger)
    client_id              VARCHAR NOT NULL,
    rail_id                VARCHAR NOT NULL,
    txn_type               VARCHAR,                 -- OCT, AFT, PPD, CCD, P2P, B2C ...
    direction              VARCHAR CHECK (direction IN ('push', 'pull')),
    rights                 VARCHAR NOT NULL CHECK (rights IN ('full', 'limited')),  -- §6.5: OCT push is limited
    reason_code            VARCHAR NOT NULL,        -- 10.4, 4837, R10, unauthorized_transfer ...
    reason_category        VARCHAR NOT NULL,        -- fraud, consumer_dispute, unauthorized ...
    rule_category          VARCHAR NOT NULL,        -- selects the deadline rules: allocation, collaboration ...
    stage                  VARCHAR NOT NULL,        -- inquiry, chargeback, representment, pre_arbitration, ...
    stage_started_on       DATE NOT NULL,           -- network date the stage began (its deadlines count from it)
    status                 VARCHAR NOT NULL CHECK (status IN ('new', 'in_review', 'waiting', 'closed')),
    outcome                VARCHAR CHECK (outcome IN ('won', 'lost', 'accepted', 'expired')),
    amount_disputed_minor  BIGINT NOT NULL CHECK (amount_disputed_minor > 0),
    amount_recovered_minor BIGINT NOT NULL DEFAULT 0 CHECK (amount_recovered_minor >= 0),
    currency               VARCHAR NOT NULL,
    transaction_on         DATE,                    -- processing / settlement date of the disputed payment
    opened_at              TIMESTAMPTZ NOT NULL,
    closed_at              TIMESTAMPTZ,
    source                 VARCHAR NOT NULL CHECK (source IN ('ledger', 'ach_file', 'manual', 'demo')),
    external_ref           VARCHAR,                 -- network case id or ACH trace: dedupes intake
    assignee               VARCHAR,
    notes                  VARCHAR,
    version                INTEGER NOT NULL DEFAULT 1,
    UNIQUE (network, external_ref)
);
CREATE INDEX dispute_cases_payment ON dispute_cases (payment_id);

-- The case's timeline: what happened, when, by whom (field-level edits are in audit_log too).
CREATE SEQUENCE dispute_event_seq START 1;
CREATE TABLE dispute_events (
    event_id BIGINT PRIMARY KEY DEFAULT nextval('dispute_event_seq'),
    case_id  BIGINT NOT NULL,
    event_at TIMESTAMPTZ NOT NULL,
    actor    VARCHAR NOT NULL,
    kind     VARCHAR NOT NULL,   -- opened, stage, status, note, evidence, outcome, check
    stage    VARCHAR,
    detail   VARCHAR NOT NULL
);
CREATE INDEX dispute_events_case ON dispute_events (case_id);

-- Evidence checklist, one row per item suited to the reason code (reference/dispute_evidence.csv).
CREATE SEQUENCE dispute_evidence_seq START 1;
CREATE TABLE dispute_evidence (
    evidence_id BIGINT PRIMARY KEY DEFAULT nextval('dispute_evidence_seq'),
    case_id     BIGINT NOT NULL,
    position    INTEGER NOT NULL,
    item        VARCHAR NOT NULL,
    required    BOOLEAN NOT NULL,
    status      VARCHAR NOT NULL DEFAULT 'missing'
                CHECK (status IN ('missing', 'requested', 'received', 'submitted', 'not_applicable')),
    note        VARCHAR,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX dispute_evidence_case ON dispute_evidence (case_id);

-- Deadlines computed from reference/dispute_rules.csv, per case, stage and rule.
-- party: us (our response is due), counterparty (their window; when it passes we may close),
-- check (a limit the counterparty had to meet: ``late`` says whether it did).
CREATE SEQUENCE dispute_deadline_seq START 1;
CREATE TABLE dispute_deadlines (
    deadline_id  BIGINT PRIMARY KEY DEFAULT nextval('dispute_deadline_seq'),
    case_id      BIGINT NOT NULL,
    stage        VARCHAR NOT NULL,
    rule_id      VARCHAR NOT NULL,
    party        VARCHAR NOT NULL CHECK (party IN ('us', 'counterparty', 'check')),
    action       VARCHAR NOT NULL,
    start_on     DATE NOT NULL,     -- the anchor the days count from
    network_due  DATE NOT NULL,     -- the network's (or regulation's) deadline
    internal_due DATE NOT NULL,     -- the team's own due date: a buffer of banking days earlier
    calendar     VARCHAR NOT NULL,
    uncertain    BOOLEAN NOT NULL,
    computed_at  TIMESTAMPTZ NOT NULL,
    done_at      TIMESTAMPTZ,       -- the stage moved on / we responded / the case closed
    late         BOOLEAN            -- done after network_due (checks: the counterparty was late)
);
CREATE INDEX dispute_deadlines_case ON dispute_deadlines (case_id);
