-- Pass 2, rule-based match for what the exact pass left: a ledger item that moved money and a
-- settled external item of the tolerance rule's source, same currency and direction, the
-- statement date within the rule's window of banking days around the ledger date, the amount
-- within the absolute or basis-point tolerance (or, for money in, short by at most the rule's
-- netted fee) and the counterparty named in the item at least as similar as the rule asks.
-- Items before their source's first reported day may match too (the statement may start the
-- day after). Score = 0.5 amount closeness + 0.3 date closeness + 0.2 counterparty similarity. A pair is
-- kept only when each is the other's best candidate and no other candidate ties it, so an
-- ambiguous item is left for a person (the break page lists its candidates).
-- Candidates are found by an equality join that includes the amount: each ledger item's
-- amount window [amount - below, amount + above] is cut into buckets of 2^k minor units,
-- k the smallest of 8, 12, ..., 60 whose bucket is wider than the window (so one or two
-- buckets), and each external item is put in its bucket at every k. Joined on source,
-- currency and day alone, the candidates grew with the unmatched items of a day squared
-- (1.36 s of the pass at 10 million payments against 0.15 s at 3 million); the amount test
-- below still decides.
-- Inputs: rx_left_l, rx_left_e, rx_rule, recon_rules, rx_days, rx_fx;
-- $run_id, $now. Grain: inserts one recon_matches row per pair found.
INSERT INTO recon_matches (run_id, rule_id, pass, kind, ledger_ids, ext_ids, group_key,
    ledger_amount_minor, ext_amount_minor, currency, category, score, reason, created_at)
WITH
eo AS (
    SELECT * FROM rx_left_e WHERE amount_minor IS NOT NULL
),
lo AS (
    SELECT l.payment_id, l.rail_id, l.partner_id, l.amount_minor, l.currency, l.flow,
        l.item_day, l.counterparty_name, r.rule_id, r.ext_source, r.type_codes,
        r.amount_tol_minor, r.amount_tol_bps, r.fee_max_minor, r.date_window_days,
        r.counterparty_min, d.win_lo, d.win_hi, d.late_from
    FROM rx_left_l AS l
    JOIN rx_rule AS t
        ON t.rail_id = l.rail_id AND t.partner_id = l.partner_id AND t.pass = 'tolerance'
    JOIN recon_rules AS r ON r.rule_id = t.rule_id
    JOIN rx_days AS d ON d.rule_id = r.rule_id AND d.day = l.item_day
),
lo_window AS (
    SELECT *,
        greatest(coalesce(amount_tol_minor, 0),
            amount_minor * coalesce(amount_tol_bps, 0) // 10000) AS above,
        greatest(above, CASE WHEN flow = 'in' THEN coalesce(fee_max_minor, 0) ELSE 0 END)
            AS below,
        CAST(least(60, greatest(8, 4 * ceil(log2(below + above + 1) / 4))) AS INTEGER) AS k
    FROM lo
),
lo_days AS (
    SELECT *, CAST(unnest(generate_series(win_lo, win_hi, INTERVAL 1 DAY)) AS DATE) AS day
    FROM lo_window
),
lo_buckets AS (
    SELECT *,
        unnest(generate_series((amount_minor - below) >> k, (amount_minor + above) >> k))
            AS bucket
    FROM lo_days
),
eo_buckets AS (
    SELECT *, unnest(generate_series(8, 60, 4)) AS k FROM eo
),
cand AS (
    SELECT
        lo.payment_id, eo.ext_id, lo.rule_id, lo.amount_minor AS l_amount,
        eo.amount_minor AS e_amount, lo.currency, lo.flow, lo.item_day, eo.value_date,
        lo.late_from, lo.amount_tol_minor, lo.amount_tol_bps, lo.date_window_days,
        lo.counterparty_min,
        CASE
            WHEN lo.counterparty_name IS NULL OR eo.counterparty IS NULL THEN 0.0
            WHEN contains(lower(eo.counterparty), lower(lo.counterparty_name)) THEN 1.0
            ELSE jaro_winkler_similarity(lower(eo.counterparty), lower(lo.counterparty_name))
        END AS cp
    FROM lo_buckets AS lo
    JOIN eo_buckets AS eo
        ON eo.source_table = lo.ext_source
        AND eo.currency = lo.currency
        AND eo.value_date = lo.day
        AND eo.k = lo.k
        AND eo.amount_minor >> eo.k = lo.bucket
    WHERE (eo.flow IS NULL OR eo.flow = lo.flow)
        AND (lo.type_codes IS NULL
            OR list_contains(string_split(lo.type_codes, '|'), eo.type_code))
        AND (eo.rail_id IS NULL OR eo.rail_id = lo.rail_id)
        AND (eo.partner_id IS NULL OR eo.partner_id = lo.partner_id)
        AND (
            abs(eo.amount_minor - lo.amount_minor)
                <= greatest(lo.amount_tol_minor, lo.amount_minor * lo.amount_tol_bps // 10000)
            OR (lo.flow = 'in' AND eo.amount_minor < lo.amount_minor
                AND lo.amount_minor - eo.amount_minor <= lo.fee_max_minor)
        )
),
scored AS (
    SELECT *,
        round(
            0.5 * (1 - least(abs(e_amount - l_amount) / greatest(l_amount, 1), 1))
            + 0.3 * greatest(1 - abs(value_date - item_day) / (coalesce(date_window_days, 0) + 1.0), 0)
            + 0.2 * cp, 4) AS score
    FROM cand
    WHERE counterparty_min IS NULL OR cp >= counterparty_min
),
ranked AS (
    SELECT *,
        row_number() OVER (PARTITION BY payment_id ORDER BY score DESC, ext_id) AS rl,
        lead(score) OVER (PARTITION BY payment_id ORDER BY score DESC, ext_id) AS next_l,
        row_number() OVER (PARTITION BY ext_id ORDER BY score DESC, payment_id) AS re,
        lead(score) OVER (PARTITION BY ext_id ORDER BY score DESC, payment_id) AS next_e
    FROM scored
)
SELECT
    $run_id, k.rule_id, 'tolerance', 'one_to_one', [k.payment_id], [k.ext_id], NULL,
    k.l_amount, k.e_amount, k.currency,
    CASE
        WHEN k.e_amount < k.l_amount AND k.flow = 'in'
            AND k.l_amount - k.e_amount
                > greatest(k.amount_tol_minor, k.l_amount * k.amount_tol_bps // 10000)
            THEN 'fee_variance'
        WHEN k.value_date >= k.late_from THEN 'late_settlement'
    END,
    k.score,
    format('{} without a shared reference: statement {} for ledger {} (difference {}), '
        || 'booked {} for ledger date {}, counterparty similarity {:.2f}, score {:.2f}',
        k.rule_id, rx_money(k.e_amount, k.currency, fx.exponent),
        rx_money(k.l_amount, k.currency, fx.exponent),
        rx_money(k.e_amount - k.l_amount, k.currency, fx.exponent),
        k.value_date, k.item_day, k.cp, k.score),
    $now
FROM ranked AS k
LEFT JOIN rx_fx AS fx ON fx.currency = k.currency
WHERE k.rl = 1 AND k.re = 1
    AND (k.next_l IS NULL OR k.next_l < k.score)
    AND (k.next_e IS NULL OR k.next_e < k.score)
