-- Breaks between a ledger payment and the external item it paired with by reference: which
-- field differs, both values side by side, the amount at stake (the difference for amounts and
-- fees, the payment's amount for status, currency and lateness) and a sentence saying what is
-- wrong. Creates rx_findings (the other findings_* statements append to it).
-- Inputs: rx_lexc, rx_xl, rx_xe, recon_rules, rx_days, rx_fx.
-- Grain: one row per breaking pair.
CREATE OR REPLACE TEMP TABLE rx_findings AS
WITH p AS MATERIALIZED (
    SELECT
        s.category, s.payment_id, s.ext_id, s.rule_id, l.rail_id, l.partner_id, l.currency,
        l.amount_minor AS l_amount, l.flow AS l_flow, l.status, l.item_day, l.late_from,
        l.ref, e.account, e.amount_minor AS e_amount, e.currency AS e_currency,
        e.flow AS e_flow, e.fee_minor, e.value_date, e.ext_status, e.type_code,
        e.reason_code, e.source_table,
        r.fee_fixed_minor + l.amount_minor * coalesce(r.fee_bps, 0) // 10000 AS expected_fee,
        r.late_after_days, d1.idx AS idx_final, d2.idx AS idx_ext,
        fx.exponent AS ex, efx.exponent AS eex, fx.usd_per_unit AS l_usd,
        efx.usd_per_unit AS e_usd
    FROM rx_lexc AS s
    JOIN rx_xl AS l ON l.payment_id = s.payment_id
    JOIN rx_xe AS e ON e.ext_id = s.ext_id
    LEFT JOIN recon_rules AS r ON r.rule_id = s.rule_id
    LEFT JOIN rx_days AS d1 ON d1.rule_id = s.rule_id AND d1.day = l.item_day
    LEFT JOIN rx_days AS d2 ON d2.rule_id = s.rule_id AND d2.day = e.value_date
    LEFT JOIN rx_fx AS fx ON fx.currency = l.currency
    LEFT JOIN rx_fx AS efx ON efx.currency = e.currency
    WHERE s.match_id IS NULL AND s.ext_id IS NOT NULL
        AND s.category IN ('status_mismatch', 'currency_fx', 'amount_mismatch', 'fee_variance',
            'late_settlement')
)
SELECT
    category || ':' || payment_id || ':' || ext_id AS break_key,
    category,
    'both' AS side,
    payment_id,
    ext_id,
    NULL::BIGINT AS match_id,
    account,
    rail_id,
    partner_id,
    currency,
    l_amount AS ledger_amount_minor,
    e_amount AS ext_amount_minor,
    CASE WHEN e_currency = currency THEN e_amount - l_amount END AS difference_minor,
    CASE
        WHEN category = 'fee_variance' AND e_amount = l_amount THEN abs(fee_minor - expected_fee)
        WHEN category IN ('amount_mismatch', 'fee_variance') AND e_flow IS NOT DISTINCT FROM l_flow
            THEN abs(e_amount - l_amount)
        ELSE l_amount
    END AS exposure_minor,
    CASE
        WHEN category = 'status_mismatch' THEN 'status'
        WHEN category = 'currency_fx' THEN 'currency'
        WHEN category = 'amount_mismatch' AND e_flow <> l_flow THEN 'direction'
        WHEN category = 'fee_variance' AND e_amount = l_amount THEN 'fee'
        WHEN category IN ('amount_mismatch', 'fee_variance') THEN 'amount'
        ELSE 'settlement date'
    END AS field,
    CASE
        WHEN category = 'status_mismatch' THEN status
        WHEN category = 'currency_fx' THEN rx_money(l_amount, currency, ex)
        WHEN category = 'amount_mismatch' AND e_flow <> l_flow THEN 'money ' || l_flow
        WHEN category = 'fee_variance' AND e_amount = l_amount
            THEN rx_money(expected_fee, currency, ex) || ' expected'
        WHEN category IN ('amount_mismatch', 'fee_variance') THEN rx_money(l_amount, currency, ex)
        ELSE 'final ' || item_day || ', due by ' || CAST(late_from - INTERVAL 1 DAY AS DATE)
    END AS ledger_value,
    CASE
        WHEN category = 'status_mismatch'
            THEN ext_status || ' (' || concat_ws(' ', type_code, reason_code) || ')'
        WHEN category = 'currency_fx' THEN rx_money(e_amount, e_currency, eex)
        WHEN category = 'amount_mismatch' AND e_flow <> l_flow THEN 'money ' || e_flow
        WHEN category = 'fee_variance' AND e_amount = l_amount
            THEN rx_money(fee_minor, currency, ex) || ' reported'
        WHEN category IN ('amount_mismatch', 'fee_variance') THEN rx_money(e_amount, e_currency, eex)
        ELSE 'booked ' || value_date
    END AS ext_value,
    CASE category
        WHEN 'status_mismatch' THEN format('The ledger says {} but {} reports {}{}.', status,
            rx_source(source_table), ext_status,
            coalesce(' (' || concat_ws(' ', type_code, reason_code) || ')', ''))
        WHEN 'currency_fx' THEN format(
            'The ledger has {} but {} has {}: implied rate {:.4f} {}/{}, reference {:.4f}.',
            rx_money(l_amount, currency, ex), rx_source(source_table),
            rx_money(e_amount, e_currency, eex),
            (e_amount / 10 ** eex) / (l_amount / 10 ** ex), e_currency, currency,
            l_usd / e_usd)
        WHEN 'amount_mismatch' THEN CASE WHEN e_flow <> l_flow
            THEN format('The ledger has money {} but {} shows money {}.', l_flow,
                rx_source(source_table), e_flow)
            ELSE format('Amounts differ by {}: ledger {}, {} {}.',
                rx_money(e_amount - l_amount, currency, ex), rx_money(l_amount, currency, ex),
                rx_source(source_table), rx_money(e_amount, currency, ex)) END
        WHEN 'fee_variance' THEN CASE WHEN e_amount = l_amount
            THEN format('{} reports a fee of {}; the rule expects {} (difference {}).',
                rx_source(source_table), rx_money(fee_minor, currency, ex),
                rx_money(expected_fee, currency, ex),
                rx_money(fee_minor - expected_fee, currency, ex))
            ELSE format('{} booked {} for a ledger amount of {}: a fee of {} netted from it.',
                rx_source(source_table), rx_money(e_amount, currency, ex),
                rx_money(l_amount, currency, ex), rx_money(l_amount - e_amount, currency, ex)) END
        ELSE format('Final in the ledger on {}, booked by {} on {}: {} banking days later, '
            || 'the rule allows {}.', item_day, rx_source(source_table), value_date,
            coalesce(CAST(idx_ext - idx_final AS VARCHAR), '?'), late_after_days)
    END AS detail,
    item_day AS item_date,
    rule_id
FROM p
