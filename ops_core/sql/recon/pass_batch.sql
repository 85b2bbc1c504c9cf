-- Pass 3, one-to-many and many-to-one for net settlement, one batch rule at a time: a bank
-- line the earlier passes left unmatched against a group whose total it settles: the day's
-- unmatched ledger entries of a partner in one direction (partner_day), of one client
-- (client_day), or a card network's settlement batch at its net (card_batch: the card rows
-- pair with the ledger on their own; the batch ties their net to the bank). Same currency and
-- direction, the line within the rule's window of banking days after the group's day, the
-- total within tolerance; mutual best (closest amount, then date) without ties.
-- Inputs: rx_left_l, rx_left_e, rx_rule, recon_rules, rx_days, rx_card_batches,
-- recon_ext_items, recon_matches, rx_fx; $rule_id, $run_id, $now.
-- Grain: inserts one recon_matches row per group.
INSERT INTO recon_matches (run_id, rule_id, pass, kind, ledger_ids, ext_ids, group_key,
    ledger_amount_minor, ext_amount_minor, currency, category, score, reason, created_at)
WITH
rule AS (
    SELECT * FROM recon_rules WHERE rule_id = $rule_id
),
taken_l AS (
    SELECT unnest(ledger_ids) AS payment_id FROM recon_matches WHERE run_id = $run_id
),
taken_e AS (
    SELECT unnest(ext_ids) AS ext_id FROM recon_matches WHERE run_id = $run_id
),
lines AS MATERIALIZED (
    SELECT e.*
    FROM rx_left_e AS e
    CROSS JOIN rule
    WHERE e.source_table = 'bank_statement_lines'
        AND (rule.type_codes IS NULL
            OR list_contains(string_split(rule.type_codes, '|'), e.type_code))
        AND e.ext_id NOT IN (SELECT ext_id FROM taken_e)
),
ledger_groups AS MATERIALIZED (
    SELECT currency, flow, day, group_key, sum(amount_minor) AS amount_minor,
        list(payment_id ORDER BY payment_id) AS ledger_ids, count(*) AS items,
        'many_to_one' AS kind, NULL::VARCHAR AS batch_id
    FROM (
        SELECT l.payment_id, l.amount_minor, l.currency, l.flow, l.item_day AS day,
            concat_ws(':', l.rail_id, l.partner_id,
                CASE WHEN rule.group_by = 'client_day' THEN l.client_id END,
                l.item_day, l.flow) AS group_key
        FROM rx_left_l AS l
        JOIN rx_rule AS t
            ON t.rail_id = l.rail_id AND t.partner_id = l.partner_id AND t.rule_id = $rule_id
        CROSS JOIN rule
        WHERE rule.group_by IN ('partner_day', 'client_day')
            AND l.payment_id NOT IN (SELECT payment_id FROM taken_l)
            AND l.item_day >= (SELECT min(value_date) FROM lines) - INTERVAL 31 DAY
            AND l.item_day <= (SELECT max(value_date) FROM lines)
    )
    GROUP BY currency, flow, day, group_key
),
card_groups AS MATERIALIZED (
    -- the batches of the rule's rail and partner (rx_card_batches: totalled once a run) that
    -- no match has tied to a bank line, this run's earlier rules included; totals only: the
    -- list of a batch's rows is made for the batches that match (batch_ids)
    SELECT
        b.currency,
        CASE WHEN sum(b.net_minor) >= 0 THEN 'in' ELSE 'out' END AS flow,
        max(b.day) AS day,
        'batch:' || b.batch_id AS group_key,
        abs(sum(b.net_minor)) AS amount_minor,
        []::BIGINT[] AS ledger_ids,
        sum(b.items) AS items,
        'batch_to_line' AS kind,
        b.batch_id
    FROM rx_card_batches AS b
    WHERE (SELECT group_by FROM rule) = 'card_batch'
        AND (SELECT rail_id FROM rule) IN (b.rail_id, '*')
        AND (SELECT partner_id FROM rule) IN (b.partner_id, '*')
        AND 'batch:' || b.batch_id NOT IN (
            SELECT group_key FROM recon_matches WHERE kind = 'batch_to_line')
    GROUP BY b.batch_id, b.currency
),
groups AS (
    SELECT g.*, d.win_hi
    FROM (SELECT * FROM ledger_groups UNION ALL SELECT * FROM card_groups) AS g
    LEFT JOIN rx_days AS d ON d.rule_id = $rule_id AND d.day = g.day
),
group_days AS (
    SELECT *, CAST(unnest(generate_series(day, coalesce(win_hi, day), INTERVAL 1 DAY)) AS DATE)
        AS line_day
    FROM groups
),
cand AS (
    SELECT g.*, s.ext_id, s.amount_minor AS line_amount, s.value_date,
        round(0.7 * (1 - least(abs(s.amount_minor - g.amount_minor)
                / greatest(g.amount_minor, 1), 1))
            + 0.3 * (1 - least((s.value_date - g.day) / 10.0, 1)), 4) AS score
    FROM group_days AS g
    JOIN lines AS s
        ON s.currency = g.currency AND s.flow = g.flow AND s.value_date = g.line_day
    CROSS JOIN rule
    WHERE abs(s.amount_minor - g.amount_minor)
        <= greatest(rule.amount_tol_minor, g.amount_minor * rule.amount_tol_bps // 10000)
),
ranked AS (
    SELECT *,
        row_number() OVER (PARTITION BY group_key ORDER BY score DESC, ext_id) AS rg,
        lead(score) OVER (PARTITION BY group_key ORDER BY score DESC, ext_id) AS next_g,
        row_number() OVER (PARTITION BY ext_id ORDER BY score DESC, group_key) AS rs,
        lead(score) OVER (PARTITION BY ext_id ORDER BY score DESC, group_key) AS next_s
    FROM cand
),
winners AS MATERIALIZED (
    SELECT * FROM ranked AS k
    WHERE k.rg = 1 AND k.rs = 1
        AND (k.next_g IS NULL OR k.next_g < k.score)
        AND (k.next_s IS NULL OR k.next_s < k.score)
),
batch_ids AS (
    SELECT e.batch_id, e.currency, list(e.ext_id ORDER BY e.ext_id) AS batch_ids
    FROM recon_ext_items AS e
    WHERE e.source_table = 'card_settlements'
        AND e.batch_id IN (SELECT batch_id FROM winners WHERE kind = 'batch_to_line')
        AND (SELECT rail_id FROM rule) IN (e.rail_id, '*')
        AND (SELECT partner_id FROM rule) IN (e.partner_id, '*')
    GROUP BY e.batch_id, e.currency
)
SELECT
    $run_id, $rule_id, 'batch', k.kind, k.ledger_ids,
    list_concat([k.ext_id], coalesce(b.batch_ids, []::BIGINT[])),
    k.group_key, k.amount_minor, k.line_amount, k.currency, NULL, k.score,
    format('{}: one bank line of {} on {} settles {} {} of {} totalling {}, score {:.2f}',
        $rule_id, rx_money(k.line_amount, k.currency, fx.exponent), k.value_date,
        k.items,
        CASE WHEN k.kind = 'batch_to_line' THEN 'card settlement rows' ELSE 'ledger payments' END,
        k.group_key, rx_money(k.amount_minor, k.currency, fx.exponent), k.score),
    $now
FROM winners AS k
LEFT JOIN batch_ids AS b ON b.batch_id = k.batch_id AND b.currency = k.currency
LEFT JOIN rx_fx AS fx ON fx.currency = k.currency
