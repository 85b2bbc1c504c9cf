-- Breaks of one side only: a ledger payment the bank never reported (past its due day, inside
-- the source's reported days), a ledger payment repeating another's reference, an external
-- item no ledger payment explains, and an external item repeating another's reference.
-- Inputs: rx_lexc, rx_eexc, rx_xl, rx_xe (the exceptions' rows), rx_pairs, rx_returns,
-- recon_accounts, rx_fx. Grain: appends one rx_findings row per unpaired breaking item.
INSERT INTO rx_findings
WITH
acct AS (
    SELECT rail_id, partner_id, any_value(account) AS account
    FROM recon_accounts GROUP BY rail_id, partner_id
),
ledger_side AS (
    SELECT
        s.category || ':L:' || s.payment_id AS break_key, s.category, 'ledger' AS side,
        s.payment_id, NULL::BIGINT AS ext_id, NULL::BIGINT AS match_id, a.account, l.rail_id,
        l.partner_id, l.currency, l.amount_minor AS ledger_amount_minor,
        NULL::BIGINT AS ext_amount_minor, NULL::BIGINT AS difference_minor,
        l.amount_minor AS exposure_minor,
        CASE s.category WHEN 'duplicate' THEN 'reference' ELSE 'presence' END AS field,
        l.status || ' ' || rx_money(l.amount_minor, l.currency, fx.exponent) || ', ref '
            || coalesce(l.ref, '-') AS ledger_value,
        CASE s.category WHEN 'duplicate' THEN 'paid once, to payment ' || x.other_id
            ELSE 'nothing reported' END AS ext_value,
        CASE s.category
            WHEN 'duplicate' THEN format(
                'Payment {} repeats reference {} of payment {}: the ledger may have booked it twice.',
                s.payment_id, l.ref, x.other_id)
            ELSE format('The ledger has {} money {} ({}) {} {} with reference {}, but {} has '
                || 'reported nothing for it although its reports cover that day.',
                rx_money(l.amount_minor, l.currency, fx.exponent), l.flow, l.rail_id,
                CASE l.status WHEN 'pending' THEN 'pending since' ELSE l.status || ' on' END,
                l.item_day, coalesce(l.ref, '-'), rx_source(l.ext_source))
        END AS detail,
        l.item_day AS item_date, s.rule_id
    FROM rx_lexc AS s
    JOIN rx_xl AS l ON l.payment_id = s.payment_id
    LEFT JOIN rx_pairs AS x
        ON s.category = 'duplicate' AND x.payment_id = s.payment_id AND x.ext_id IS NULL
    LEFT JOIN acct AS a ON a.rail_id = l.rail_id AND a.partner_id = l.partner_id
    LEFT JOIN rx_fx AS fx ON fx.currency = l.currency
    WHERE s.match_id IS NULL AND s.ext_id IS NULL
        AND s.category IN ('missing_at_bank', 'duplicate')
),
ext_side AS (
    SELECT
        s.category || ':E:' || s.ext_id, s.category, 'external', NULL::BIGINT, s.ext_id,
        NULL::BIGINT, e.account, e.rail_id, e.partner_id, coalesce(e.currency, '?'), NULL::BIGINT,
        e.amount_minor, NULL::BIGINT, coalesce(e.amount_minor, 0),
        CASE s.category WHEN 'duplicate' THEN 'reference' ELSE 'presence' END,
        CASE s.category WHEN 'duplicate' THEN 'one payment' ELSE 'no payment' END,
        concat_ws(' ', e.ext_status, rx_money(e.amount_minor, e.currency, fx.exponent),
            'money ' || e.flow, 'ref ' || e.ref),
        CASE s.category
            WHEN 'duplicate' THEN format(
                '{} reports reference {} again (item {} already carries it): a duplicate, '
                || 'perhaps paid or collected twice.', rx_source(e.source_table), e.ref, x.other_id)
            ELSE format('{} has {}{} on {} with reference {}{} that no ledger payment explains.',
                rx_source(e.source_table),
                coalesce(rx_money(e.amount_minor, e.currency, fx.exponent), 'an item'),
                coalesce(' money ' || e.flow, ''), e.value_date, coalesce(e.ref, '-'),
                coalesce(' (' || nullif(trim(e.counterparty), '') || ')', ''))
        END,
        coalesce(e.value_date, CAST($as_of_day AS DATE)), s.rule_id
    FROM rx_eexc AS s
    JOIN rx_xe AS e ON e.ext_id = s.ext_id
    LEFT JOIN rx_pairs AS x
        ON s.category = 'duplicate' AND x.ext_id = s.ext_id AND x.payment_id IS NULL
    LEFT JOIN rx_fx AS fx ON fx.currency = e.currency
    WHERE s.match_id IS NULL
        AND s.category IN ('unknown_bank_item', 'duplicate')
        AND s.ext_id NOT IN (SELECT ext_id FROM rx_returns)
)
SELECT * FROM ledger_side
UNION ALL
SELECT * FROM ext_side
