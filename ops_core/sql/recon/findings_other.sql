-- Breaks from kept matches that carry a difference (a tolerance match short by a netted fee or
-- booked late), from returns (no original payment, or the ledger does not show it returned, or
-- a different amount) and from the balance tie-out (an unexplained variance).
-- Inputs: recon_matches, rx_returns, recon_balances, rx_ledger, recon_ext_items,
-- recon_accounts, rx_fx; $run_id. Grain: appends one rx_findings row per breaking match,
-- return or account day.
INSERT INTO rx_findings
WITH
acct AS (
    SELECT account, any_value(rail_id) AS rail_id, any_value(partner_id) AS partner_id
    FROM recon_accounts GROUP BY account
),
matched AS (
    SELECT
        m.category || ':M:' || m.match_id, m.category, 'both', m.ledger_ids[1], m.ext_ids[1],
        m.match_id, e.account, l.rail_id, l.partner_id, m.currency, m.ledger_amount_minor,
        m.ext_amount_minor, m.ext_amount_minor - m.ledger_amount_minor,
        CASE WHEN m.category = 'fee_variance'
            THEN abs(m.ext_amount_minor - m.ledger_amount_minor) ELSE m.ledger_amount_minor END,
        CASE WHEN m.category = 'fee_variance' THEN 'amount' ELSE 'settlement date' END,
        CASE WHEN m.category = 'fee_variance' THEN rx_money(m.ledger_amount_minor, m.currency, fx.exponent)
            ELSE 'final ' || l.item_day END,
        CASE WHEN m.category = 'fee_variance' THEN rx_money(m.ext_amount_minor, m.currency, fx.exponent)
            ELSE 'booked ' || e.value_date END,
        CASE WHEN m.category = 'fee_variance'
            THEN format('Matched by {} without a shared reference; the bank booked {} for {}: a fee of {} netted from it.',
                m.rule_id, rx_money(m.ext_amount_minor, m.currency, fx.exponent),
                rx_money(m.ledger_amount_minor, m.currency, fx.exponent),
                rx_money(m.ledger_amount_minor - m.ext_amount_minor, m.currency, fx.exponent))
            ELSE format('Matched by {} without a shared reference; booked {} for a payment final on {}, after its due day.',
                m.rule_id, e.value_date, l.item_day)
        END,
        l.item_day, m.rule_id
    FROM recon_matches AS m
    JOIN recon_ext_items AS e ON e.ext_id = m.ext_ids[1]
    JOIN rx_ledger AS l ON l.payment_id = m.ledger_ids[1]
    LEFT JOIN rx_fx AS fx ON fx.currency = m.currency
    WHERE m.category IS NOT NULL
),
returned AS (
    SELECT
        r.outcome || ':R:' || r.ext_id, r.outcome,
        CASE WHEN r.payment_id IS NULL THEN 'external' ELSE 'both' END,
        r.payment_id, r.ext_id, NULL::BIGINT, e.account, coalesce(l.rail_id, e.rail_id),
        coalesce(l.partner_id, e.partner_id), coalesce(e.currency, l.currency, '?'),
        l.amount_minor, e.amount_minor, e.amount_minor - l.amount_minor,
        CASE WHEN r.outcome = 'amount_mismatch' THEN abs(e.amount_minor - l.amount_minor)
            ELSE coalesce(e.amount_minor, l.amount_minor, 0) END,
        CASE WHEN r.outcome = 'amount_mismatch' THEN 'amount'
            WHEN r.payment_id IS NULL THEN 'original payment' ELSE 'status' END,
        CASE WHEN r.payment_id IS NULL THEN 'no payment with reference ' || coalesce(e.ref, '-')
            WHEN r.outcome = 'amount_mismatch' THEN rx_money(l.amount_minor, l.currency, fx.exponent)
            ELSE l.status END,
        CASE WHEN r.outcome = 'amount_mismatch' THEN rx_money(e.amount_minor, e.currency, fx.exponent)
            ELSE concat_ws(' ', CASE e.role WHEN 'noc' THEN 'notification of change' ELSE 'returned' END,
                e.reason_code) END,
        CASE
            WHEN r.payment_id IS NULL THEN format(
                '{} carries {} {} for reference {}, but no ledger payment has that reference.',
                rx_source(e.source_table),
                CASE e.role WHEN 'noc' THEN 'change code' ELSE 'return code' END,
                coalesce(e.reason_code, '?'), coalesce(e.ref, '-'))
            WHEN r.outcome = 'amount_mismatch' THEN format(
                'Return {} of payment {} is for {}, the payment was {}.', coalesce(e.reason_code, ''),
                r.payment_id, rx_money(e.amount_minor, e.currency, fx.exponent),
                rx_money(l.amount_minor, l.currency, fx.exponent))
            ELSE format('{} returns payment {} ({}), but the ledger shows it {}: book the return.',
                rx_source(e.source_table), r.payment_id, coalesce(e.reason_code, '?'), l.status)
        END,
        coalesce(e.value_date, l.item_day, CAST($as_of_day AS DATE)), r.rule_id
    FROM rx_returns AS r
    JOIN recon_ext_items AS e ON e.ext_id = r.ext_id
    LEFT JOIN rx_ledger AS l ON l.payment_id = r.payment_id
    LEFT JOIN rx_fx AS fx ON fx.currency = coalesce(e.currency, l.currency)
    WHERE r.outcome <> 'linked'
),
balance AS (
    SELECT
        'unexplained_balance:' || b.account || ':' || b.day, 'unexplained_balance', 'account',
        NULL::BIGINT, NULL::BIGINT, NULL::BIGINT, b.account, a.rail_id, a.partner_id,
        b.currency, b.expected_closing_minor, b.closing_minor, b.unexplained_minor,
        abs(b.unexplained_minor), 'closing balance',
        'expected ' || coalesce(rx_money(b.expected_closing_minor, b.currency, fx.exponent), '?'),
        'reported ' || coalesce(rx_money(b.closing_minor, b.currency, fx.exponent), '?'),
        format('Account {} on {}: opening {} plus ledger movements {} gives {}; the bank closes at '
            || '{}. Item breaks explain {}; {} is unexplained{}.', b.account, b.day,
            coalesce(rx_money(b.opening_minor, b.currency, fx.exponent), '?'),
            coalesce(rx_money(b.ledger_movements_minor, b.currency, fx.exponent), '?'),
            coalesce(rx_money(b.expected_closing_minor, b.currency, fx.exponent), '?'),
            coalesce(rx_money(b.closing_minor, b.currency, fx.exponent), '?'),
            coalesce(rx_money(b.explained_minor, b.currency, fx.exponent), '?'),
            coalesce(rx_money(b.unexplained_minor, b.currency, fx.exponent), '?'),
            CASE WHEN b.gap_minor <> 0 THEN format(' (the opening differs from the previous closing by {})',
                rx_money(b.gap_minor, b.currency, fx.exponent)) ELSE '' END),
        b.day, NULL
    FROM recon_balances AS b
    LEFT JOIN acct AS a ON a.account = b.account
    LEFT JOIN rx_fx AS fx ON fx.currency = b.currency
    WHERE b.unexplained_minor <> 0
)
SELECT * FROM matched
UNION ALL
SELECT * FROM returned
UNION ALL
SELECT * FROM balance
