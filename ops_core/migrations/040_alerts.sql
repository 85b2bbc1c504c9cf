-- 040: alerts, their evaluation runs and timelines, and incidents (ops_core.alerts).
-- An alert is one (rule, scope) condition over an interval of time: opened when a rule first
-- fires for that scope, resolved when the condition clears (automatically) or by a person.
-- At most one unresolved alert per (rule_id, scope_key): ops_core.alerts.store enforces it
-- inside the evaluation transaction (DuckDB has no partial unique index).
-- Editable by people (through ops_core.audit, version-checked): status, assignee,
-- snoozed_until, resolution, incident_id. The evaluator's metric refreshes (value,
-- last_seen_at) do not bump the version; its status changes do, and are audited as 'railyard'.

CREATE SEQUENCE alert_seq START 1;
CREATE TABLE alerts (
    alert_id            BIGINT PRIMARY KEY DEFAULT nextval('alert_seq'),
    rule_id             VARCHAR NOT NULL,          -- reference/alert_rules.csv rule_id
    scope_key           VARCHAR NOT NULL,          -- 'RTP|LAKESHORE|*|*': rail|partner|client|subject
    rail_id             VARCHAR,
    partner_id          VARCHAR,
    client_id           VARCHAR,
    subject             VARCHAR,                   -- a code, a Nacha rate, a network, an account
    severity            VARCHAR NOT NULL CHECK (severity IN ('warning', 'critical')),
    status              VARCHAR NOT NULL CHECK (status IN ('open', 'acknowledged', 'snoozed', 'resolved')),
    title               VARCHAR NOT NULL,
    metric              VARCHAR NOT NULL,          -- what was measured, e.g. 'success rate'
    unit                VARCHAR NOT NULL,          -- how value/baseline/threshold read: pct, ms, count ...
    value               DOUBLE,                    -- latest measured value while firing
    baseline            DOUBLE,                    -- what is normal for this scope and time
    threshold           DOUBLE,                    -- the limit the value crossed
    peak                DOUBLE,                    -- worst value while open
    explanation         VARCHAR NOT NULL,          -- one sentence: metric, baseline, threshold
    link                VARCHAR NOT NULL,          -- app URL path + query of the affected items
    impact_count        BIGINT NOT NULL DEFAULT 0, -- payments affected while open
    impact_amount_minor HUGEINT NOT NULL DEFAULT 0,
    currency            VARCHAR,
    opened_at           TIMESTAMPTZ NOT NULL,      -- evaluation time the rule first fired
    window_start        TIMESTAMPTZ,               -- start of the data window that first fired
    last_seen_at        TIMESTAMPTZ NOT NULL,      -- latest evaluation time it still fired
    resolved_at         TIMESTAMPTZ,
    resolved_by         VARCHAR,
    resolution          VARCHAR,                   -- the note: why it was resolved
    assignee            VARCHAR,
    snoozed_until       TIMESTAMPTZ,
    incident_id         BIGINT,
    notified_at         TIMESTAMPTZ,               -- webhook delivered (NULL: not sent)
    version             INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX alerts_rule_scope ON alerts (rule_id, scope_key);

-- The alert's timeline: opened, escalated, acknowledged, assigned, snoozed, resolved ...
CREATE SEQUENCE alert_event_seq START 1;
CREATE TABLE alert_events (
    event_id BIGINT PRIMARY KEY DEFAULT nextval('alert_event_seq'),
    alert_id BIGINT NOT NULL,
    event_at TIMESTAMPTZ NOT NULL,
    actor    VARCHAR NOT NULL,
    kind     VARCHAR NOT NULL,
    detail   VARCHAR NOT NULL
);
CREATE INDEX alert_events_alert ON alert_events (alert_id);

-- One row per evaluation: when, what it did, which rules it could not evaluate and why.
CREATE SEQUENCE alert_run_seq START 1;
CREATE TABLE alert_runs (
    run_id     BIGINT PRIMARY KEY DEFAULT nextval('alert_run_seq'),
    evaluated_at TIMESTAMPTZ NOT NULL,    -- the point in time evaluated (the data's "now")
    ran_at     TIMESTAMPTZ NOT NULL,      -- wall clock
    seconds    DOUBLE NOT NULL,
    rules      VARCHAR NOT NULL,          -- JSON list of rule ids evaluated
    skipped    VARCHAR NOT NULL,          -- JSON {rule_id: reason} not evaluated (missing tables)
    firing     INTEGER NOT NULL,
    opened     INTEGER NOT NULL,
    resolved   INTEGER NOT NULL
);

-- Incidents group alerts (alerts.incident_id) and carry the post-mortem.
CREATE SEQUENCE incident_seq START 1;
CREATE TABLE incidents (
    incident_id BIGINT PRIMARY KEY DEFAULT nextval('incident_seq'),
    title       VARCHAR NOT NULL,
    severity    VARCHAR NOT NULL CHECK (severity IN ('sev1', 'sev2', 'sev3')),
    status      VARCHAR NOT NULL CHECK (status IN ('open', 'mitigated', 'resolved')),
    started_at  TIMESTAMPTZ NOT NULL,     -- when the impact began
    detected_at TIMESTAMPTZ,              -- when the first alert fired
    resolved_at TIMESTAMPTZ,
    owner       VARCHAR,
    summary     VARCHAR,
    root_cause  VARCHAR,
    remediation VARCHAR,
    follow_ups  VARCHAR,                  -- one per line: '- [ ] ...' Markdown task items
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  VARCHAR NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);

-- Things that happened to the incident itself (alerts' events are merged in on read).
CREATE SEQUENCE incident_event_seq START 1;
CREATE TABLE incident_events (
    event_id    BIGINT PRIMARY KEY DEFAULT nextval('incident_event_seq'),
    incident_id BIGINT NOT NULL,
    event_at    TIMESTAMPTZ NOT NULL,
    actor       VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,
    detail      VARCHAR NOT NULL
);
CREATE INDEX incident_events_incident ON incident_events (incident_id);
