-- 030: routing analytics (ops_core.routing). Rule tables synced from ops_core/reference/*.csv
-- (fee schedule, route catalog and constraints, cut-off windows, amount bands, urgencies,
-- reference FX rates), calendar helpers, and day rollups of logical payments per route.
-- Fees are DECIMAL minor units of the route's currency: network fees are fractions of a cent,
-- and per-payment costs are summed exactly before anything is rounded for display.

-- Fees per (rail, partner, service), effective [effective_from, effective_to); NULL = open.
-- Cost of one attempt = fixed + network + gas + amount * (bps + FX spread if cross-currency) / 10^4.
CREATE TABLE fee_schedule (
    rail_id           VARCHAR NOT NULL,
    partner_id        VARCHAR NOT NULL,
    service           VARCHAR NOT NULL,          -- urgencies.urgency the route delivers
    currency          VARCHAR NOT NULL,          -- = the rail's currency
    fixed_fee_minor   DECIMAL(18, 4) NOT NULL,
    bps               DECIMAL(9, 3) NOT NULL,
    fx_spread_bps     DECIMAL(9, 3) NOT NULL,    -- charged when funding and payout currencies differ
    network_fee_minor DECIMAL(18, 4) NOT NULL,
    gas_fee_minor     DECIMAL(18, 4) NOT NULL,   -- USDC: minor units of 10^-6 USDC
    effective_from    DATE NOT NULL,
    effective_to      DATE,
    source            VARCHAR NOT NULL,
    PRIMARY KEY (rail_id, partner_id, service, effective_from)
);

-- The routes money can take, and what each accepts (route_constraints.csv).
CREATE TABLE route_catalog (
    rail_id            VARCHAR NOT NULL,
    partner_id         VARCHAR NOT NULL,
    service            VARCHAR NOT NULL,
    instrument         VARCHAR NOT NULL,         -- what the beneficiary must hold
    push_ok            BOOLEAN NOT NULL,
    pull_ok            BOOLEAN NOT NULL,
    max_amount_minor   BIGINT,                   -- partner / participant limit; NULL = none
    rail_limit_applies BOOLEAN NOT NULL,         -- whether rails.max_amount_minor also applies
    source             VARCHAR NOT NULL,
    PRIMARY KEY (rail_id, partner_id, service)
);

-- Submission cut-offs of routes that run on banking days (route_windows.csv).
CREATE TABLE route_windows (
    rail_id            VARCHAR NOT NULL,
    partner_id         VARCHAR NOT NULL,
    service            VARCHAR NOT NULL,
    calendar           VARCHAR NOT NULL,         -- ops_core.calendars id
    timezone           VARCHAR NOT NULL,
    cutoff_local       TIME NOT NULL,
    settle_local       TIME NOT NULL,
    settle_offset_days INTEGER NOT NULL,         -- banking days from cut-off day to settlement
    source             VARCHAR NOT NULL
);

CREATE TABLE amount_bands (
    band            VARCHAR PRIMARY KEY,
    label           VARCHAR NOT NULL,
    sort_order      INTEGER NOT NULL,
    lower_usd_minor BIGINT NOT NULL,             -- USD cents, inclusive
    upper_usd_minor BIGINT,                      -- USD cents, exclusive; NULL = no upper bound
    source          VARCHAR NOT NULL
);

CREATE TABLE urgencies (
    urgency          VARCHAR PRIMARY KEY,
    rank             INTEGER NOT NULL,           -- 1 = most urgent
    label            VARCHAR NOT NULL,
    max_banking_days INTEGER NOT NULL,           -- settle at most this many banking days later
    source           VARCHAR NOT NULL
);

-- Reference rates to USD, for bands and cross-currency totals (not for booking).
CREATE TABLE fx_reference_rates (
    currency            VARCHAR NOT NULL,
    effective_from      DATE NOT NULL,
    effective_to        DATE,
    usd_per_unit        DECIMAL(18, 8) NOT NULL,
    usd_minor_per_minor DECIMAL(24, 12) NOT NULL, -- USD cents per minor unit of currency
    source              VARCHAR NOT NULL,
    PRIMARY KEY (currency, effective_from)
);

-- The currency a client funds payouts from (corridor = funding currency -> payout currency).
CREATE TABLE funding_currencies (
    country  VARCHAR PRIMARY KEY,
    currency VARCHAR NOT NULL,
    source   VARCHAR NOT NULL
);

-- Banking days of the calendars route_windows uses, over the data's range (refreshed).
CREATE TABLE routing_banking_days (
    calendar          VARCHAR NOT NULL,
    day               DATE NOT NULL,
    is_banking_day    BOOLEAN NOT NULL,
    banking_day_index INTEGER NOT NULL,
    PRIMARY KEY (calendar, day)
);

-- Every cut-off instant of every windowed route over the data's range (refreshed).
CREATE TABLE route_window_instants (
    rail_id     VARCHAR NOT NULL,
    partner_id  VARCHAR NOT NULL,
    service     VARCHAR NOT NULL,
    calendar    VARCHAR NOT NULL,
    timezone    VARCHAR NOT NULL,
    cutoff_at   TIMESTAMPTZ NOT NULL,
    settle_at   TIMESTAMPTZ NOT NULL,
    settle_day  DATE NOT NULL
);

-- Logical payments per route: a logical payment is (original_payment_id, rail, partner) and
-- its outcome is that of its highest attempt, so retries count once. The service of a
-- banking-day rail is read from the settlement date: Same Day if it settled on the ET day it
-- was created (domain.md §2.6); the ledger does not record which service was asked for.
CREATE VIEW routing_payments AS
WITH logical AS (
    SELECT
        original_payment_id,
        rail_id,
        partner_id,
        original_created_at AS created_at,
        count(*) AS attempts,
        sum(amount_minor) AS attempt_amount_minor,
        arg_max(client_id, attempt_no) AS client_id,
        arg_max(direction, attempt_no) AS direction,
        arg_max(currency, attempt_no) AS currency,
        arg_max(amount_minor, attempt_no) AS amount_minor,
        arg_max(status, attempt_no) AS status,
        arg_max_null(final_at, attempt_no) AS final_at
    FROM payments
    GROUP BY original_payment_id, rail_id, partner_id, original_created_at
)
SELECT
    l.*,
    CASE
        WHEN r.operating_hours IS DISTINCT FROM 'banking_days' THEN 'instant'
        WHEN l.final_at IS NOT NULL
            AND CAST(timezone(r.cutoff_timezone, l.final_at) AS DATE)
                = CAST(timezone(r.cutoff_timezone, l.created_at) AS DATE)
            THEN 'same_day'
        ELSE 'next_day'
    END AS service,
    coalesce(f.currency, l.currency) AS source_currency,
    x.usd_minor_per_minor,
    l.amount_minor * x.usd_minor_per_minor AS amount_usd_minor,
    coalesce(b.band, 'unbanded') AS band
FROM logical AS l
LEFT JOIN rails AS r ON r.rail_id = l.rail_id
LEFT JOIN clients AS c ON c.client_id = l.client_id
LEFT JOIN funding_currencies AS f ON f.country = c.country
LEFT JOIN fx_reference_rates AS x
    ON x.currency = l.currency
    AND x.effective_from <= CAST(l.created_at AS DATE)
    AND (x.effective_to IS NULL OR CAST(l.created_at AS DATE) < x.effective_to)
LEFT JOIN amount_bands AS b
    ON l.amount_minor * x.usd_minor_per_minor >= b.lower_usd_minor
    AND (b.upper_usd_minor IS NULL OR l.amount_minor * x.usd_minor_per_minor < b.upper_usd_minor);

-- Day x route x profile counts of logical payments, keyed by the UTC day of the first attempt.
CREATE TABLE rollup_routes (
    day                    DATE NOT NULL,
    rail_id                VARCHAR NOT NULL,
    partner_id             VARCHAR NOT NULL,
    service                VARCHAR NOT NULL,
    direction              VARCHAR NOT NULL,
    source_currency        VARCHAR NOT NULL,
    currency               VARCHAR NOT NULL,
    band                   VARCHAR NOT NULL,
    payments               BIGINT NOT NULL,
    attempts               BIGINT NOT NULL,
    succeeded              BIGINT NOT NULL,
    failed                 BIGINT NOT NULL,
    returned               BIGINT NOT NULL,
    pending                BIGINT NOT NULL,
    amount_minor           HUGEINT NOT NULL,     -- final attempts
    attempt_amount_minor   HUGEINT NOT NULL,     -- every attempt (fees accrue per attempt)
    succeeded_amount_minor HUGEINT NOT NULL
);

-- End-to-end latency (first attempt created -> final attempt final) of completed logical
-- payments, in the quarter-octave buckets of rollup_latency (migration 002).
CREATE TABLE rollup_route_latency (
    day        DATE NOT NULL,
    rail_id    VARCHAR NOT NULL,
    partner_id VARCHAR NOT NULL,
    service    VARCHAR NOT NULL,
    band       VARCHAR NOT NULL,
    bucket     SMALLINT NOT NULL,
    n          BIGINT NOT NULL
);

-- rollup_routes with the cost of each row under the fee schedule effective that day, and USD
-- equivalents at the reference rates. Fees accrue per attempt (fixed + network + gas) and
-- ad valorem on each attempt's amount; the FX spread applies when funding currency differs.
CREATE VIEW routing_route_costs AS
SELECT
    r.*,
    f.fixed_fee_minor + f.network_fee_minor + f.gas_fee_minor AS per_attempt_fee_minor,
    f.bps + CASE WHEN r.source_currency <> r.currency THEN f.fx_spread_bps ELSE 0 END
        AS ad_valorem_bps,
    x.usd_minor_per_minor,
    CAST(
        r.attempts * (f.fixed_fee_minor + f.network_fee_minor + f.gas_fee_minor)
        + r.attempt_amount_minor
            * (f.bps + CASE WHEN r.source_currency <> r.currency THEN f.fx_spread_bps ELSE 0 END)
            * 0.0001
        AS DECIMAL(38, 6)
    ) AS cost_minor,
    CAST(r.amount_minor * x.usd_minor_per_minor AS DECIMAL(38, 6)) AS amount_usd_minor,
    CAST(r.succeeded_amount_minor * x.usd_minor_per_minor AS DECIMAL(38, 6)) AS moved_usd_minor
FROM rollup_routes AS r
LEFT JOIN fee_schedule AS f
    ON f.rail_id = r.rail_id
    AND f.partner_id = r.partner_id
    AND f.service = r.service
    AND f.effective_from <= r.day
    AND (f.effective_to IS NULL OR r.day < f.effective_to)
LEFT JOIN fx_reference_rates AS x
    ON x.currency = r.currency
    AND x.effective_from <= r.day
    AND (x.effective_to IS NULL OR r.day < x.effective_to);
