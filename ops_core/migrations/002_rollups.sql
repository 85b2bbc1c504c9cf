-- 002: pre-aggregated rollups the pages read, kept up to date at load time
-- (ops_core.rollups.refresh). Their size is bounded by time x dimensions, not by payments.

-- Logical payments (retries on the same route counted once, by the final attempt's outcome),
-- keyed by the hour their first attempt was created.
CREATE TABLE rollup_hourly (
    hour                   TIMESTAMPTZ NOT NULL,
    rail_id                VARCHAR NOT NULL,
    partner_id             VARCHAR NOT NULL,
    client_id              VARCHAR NOT NULL,
    currency               VARCHAR NOT NULL,
    attempts               BIGINT NOT NULL,
    payments               BIGINT NOT NULL,
    succeeded              BIGINT NOT NULL,
    failed                 BIGINT NOT NULL,
    returned               BIGINT NOT NULL,
    pending                BIGINT NOT NULL,
    amount_minor           HUGEINT NOT NULL,
    succeeded_amount_minor HUGEINT NOT NULL
);

-- Attempt latency (created -> first terminal status) as a log-scale histogram:
-- bucket b holds latencies in [2^(b/4), 2^((b+1)/4)) milliseconds, so percentiles read from
-- it are within about 9% of the exact value and can be combined across any grouping.
CREATE TABLE rollup_latency (
    hour       TIMESTAMPTZ NOT NULL,
    rail_id    VARCHAR NOT NULL,
    partner_id VARCHAR NOT NULL,
    bucket     SMALLINT NOT NULL,
    n          BIGINT NOT NULL
);

-- Failure, decline and return codes per attempt, by the hour the code arrived.
CREATE TABLE rollup_codes (
    hour         TIMESTAMPTZ NOT NULL,
    rail_id      VARCHAR NOT NULL,
    partner_id   VARCHAR NOT NULL,
    client_id    VARCHAR NOT NULL,
    status       VARCHAR NOT NULL,
    code_scheme  VARCHAR NOT NULL,
    code         VARCHAR NOT NULL,
    n            BIGINT NOT NULL,
    amount_minor HUGEINT NOT NULL
);

-- Attempts still pending: the stuck-transaction views read this small table.
CREATE TABLE pending_payments (
    payment_id   BIGINT PRIMARY KEY,
    rail_id      VARCHAR NOT NULL,
    partner_id   VARCHAR NOT NULL,
    client_id    VARCHAR NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    amount_minor BIGINT NOT NULL,
    currency     VARCHAR NOT NULL
);

-- Operational scenarios the demo generator injected (ground truth for pages and alert tests).
CREATE TABLE demo_scenarios (
    scenario_id VARCHAR PRIMARY KEY,
    title       VARCHAR NOT NULL,
    rail_id     VARCHAR,
    partner_id  VARCHAR,
    client_id   VARCHAR,
    starts_at   TIMESTAMPTZ NOT NULL,
    ends_at     TIMESTAMPTZ NOT NULL,
    where_seen  VARCHAR NOT NULL
);
