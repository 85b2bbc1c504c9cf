-- 057: routing_payments finds a payment's amount band by comparing its amount in minor units
-- of its own currency with the band's bounds converted once per reference rate, instead of
-- multiplying every amount by the rate in DECIMAL(38, 12) and flooring it to USD cents (half
-- of the routing refresh at load time: 0.13 s of 0.27 s for 294k payments; the comparisons
-- take a few milliseconds).
--
-- Exact, not approximate. A rate usd_minor_per_minor is r = n / 10^12 for an integer n >= 0
-- (DECIMAL(24, 12); the rate CSV refuses negative rates), a band holds an amount a when
-- lower <= floor(a * r) < upper (whole USD cents), and for integers a, lower and upper:
--   floor(a * r) >= lower  <=>  a * r >= lower  <=>  a >= ceil(lower * 10^12 / n)   (n > 0)
--   floor(a * r) <  upper  <=>  a * r <  upper  <=>  a <  ceil(upper * 10^12 / n)   (n > 0)
-- and for n = 0 (every amount is 0 cents) the band holds every amount when lower <= 0 < upper
-- and none otherwise. ceil is integer arithmetic on HUGEINT; a bound outside BIGINT becomes
-- "no amount reaches it" (lo NULL) or "no upper bound" (hi NULL).
CREATE OR REPLACE MACRO ceil_div(p, q) AS
    CASE WHEN p >= 0 THEN (p + q - 1) // q ELSE -((-p) // q) END;

CREATE OR REPLACE VIEW routing_payments AS
WITH dated AS (
    SELECT *, utc_day(created_at) AS utc_day FROM logical_payments
),

scaled AS (
    SELECT *, CAST(usd_minor_per_minor * 1000000000000 AS HUGEINT) AS n
    FROM fx_reference_rates
),

bounded AS (
    -- each band's bounds for this rate, in the currency's minor units (see the header)
    SELECT
        band,
        sort_order,
        s.currency,
        s.effective_from,
        CASE
            WHEN s.n > 0 THEN ceil_div(CAST(b.lower_usd_minor AS HUGEINT) * 1000000000000, s.n)
            WHEN b.lower_usd_minor <= 0 THEN -9223372036854775808
        END AS lo,
        CASE
            WHEN b.upper_usd_minor IS NULL THEN NULL
            WHEN s.n > 0 THEN ceil_div(CAST(b.upper_usd_minor AS HUGEINT) * 1000000000000, s.n)
            WHEN b.upper_usd_minor > 0 THEN NULL
            ELSE -9223372036854775808
        END AS hi
    FROM scaled AS s
    CROSS JOIN amount_bands AS b
),

rates AS (
    SELECT
        s.currency,
        s.effective_from,
        s.effective_to,
        s.usd_minor_per_minor,
        list({
            'band': b.band,
            'lo': CASE WHEN b.lo <= 9223372036854775807
                THEN CAST(greatest(b.lo, -9223372036854775808) AS BIGINT) END,
            'hi': CASE WHEN b.hi <= 9223372036854775807
                THEN CAST(greatest(b.hi, -9223372036854775808) AS BIGINT) END
        } ORDER BY b.sort_order) AS bands
    FROM scaled AS s
    JOIN bounded AS b ON b.currency = s.currency AND b.effective_from = s.effective_from
    GROUP BY ALL
),

priced AS (
    SELECT
        l.* EXCLUDE (utc_day),
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
        x.bands
    FROM dated AS l
    LEFT JOIN rails AS r ON r.rail_id = l.rail_id
    LEFT JOIN clients AS c ON c.client_id = l.client_id
    LEFT JOIN funding_currencies AS f ON f.country = c.country
    LEFT JOIN rates AS x
        ON x.currency = l.currency
        AND x.effective_from <= l.utc_day
        AND (x.effective_to IS NULL OR l.utc_day < x.effective_to)
)

SELECT
    p.* EXCLUDE (bands),
    coalesce(
        list_filter(
            p.bands,
            lambda b: p.amount_minor >= b.lo AND (b.hi IS NULL OR p.amount_minor < b.hi)
        )[1].band,
        'unbanded'
    ) AS band
FROM priced AS p;
