-- Writes a canonical card settlement CSV in one pass for the fast path
-- (ops_core/ingest/fast_card.py), and fails (error(), so the loader rolls back and runs the
-- parser, card_csv.py) at the first row the parser might read differently: an amount not of
-- the form -digits[.digits] within 6 and the currency's decimals, an unknown currency, a date
-- not YYYY-MM-DD, or a net that does not add up (the parser then flags the file).
-- Inputs: card_source (Arrow: the canonical columns as text, read from a file without
-- quotes; line, the physical line; blank, every cell empty); $file_id, $currencies /
-- $exponents. Grain: one row per data row that is not all blank.
INSERT INTO card_settlements (
    source_file_id, source_line, settlement_date, network, network_txn_id, txn_type,
    amount_minor, currency, fee_minor, interchange_minor, net_minor, batch_id
)
WITH raw AS (
    SELECT
        line,
        settlement_date AS settlement_date_s,
        upper(network) AS network,
        network_txn_id,
        upper(txn_type) AS txn_type,
        coalesce(nullif(amount, ''), '0') AS amount_s,
        upper(currency) AS currency,
        coalesce(nullif(fee, ''), '0') AS fee_s,
        coalesce(nullif(interchange, ''), '0') AS interchange_s,
        coalesce(nullif(net, ''), '0') AS net_s,
        batch_id
    FROM card_source
    WHERE NOT blank
),

typed AS (
    SELECT
        raw.*,
        units.exponent,
        CASE
            WHEN regexp_full_match(settlement_date_s, '[0-9]{4}-[0-9]{2}-[0-9]{2}')
                THEN try_strptime(settlement_date_s, '%Y-%m-%d')
        END AS settlement_ts,
        regexp_full_match(
            concat_ws('|', amount_s, fee_s, interchange_s, net_s),
            '(-?[0-9]{1,12}(\.[0-9]{1,6})?\|){3}-?[0-9]{1,12}(\.[0-9]{1,6})?'
        ) AS numbers
    FROM raw
    LEFT JOIN
        (SELECT unnest($currencies) AS code, unnest($exponents) AS exponent) AS units
        ON raw.currency = units.code
),

decimals AS (
    SELECT
        typed.*,
        CASE WHEN numbers THEN CAST(amount_s AS DECIMAL(18, 6)) END AS amount_d,
        CASE WHEN numbers THEN CAST(fee_s AS DECIMAL(18, 6)) END AS fee_d,
        CASE WHEN numbers THEN CAST(interchange_s AS DECIMAL(18, 6)) END AS interchange_d,
        CASE WHEN numbers THEN CAST(net_s AS DECIMAL(18, 6)) END AS net_d
    FROM typed
),

micro AS (
    -- amounts in millionths (exact: at most 6 decimals; micros, migration 055), then minor
    -- units of the currency
    SELECT
        decimals.*,
        CAST(pow(10, 6 - exponent) AS BIGINT) AS unit,
        micros(amount_d) AS amount_u,
        micros(fee_d) AS fee_u,
        micros(interchange_d) AS interchange_u,
        micros(net_d) AS net_u
    FROM decimals
),

minor AS (
    SELECT
        micro.*,
        amount_u // unit AS amount_minor,
        fee_u // unit AS fee_minor,
        interchange_u // unit AS interchange_minor,
        net_u // unit AS net_minor,
        coalesce(
            exponent IS NOT NULL
            AND settlement_ts IS NOT NULL
            AND numbers
            AND amount_u % unit = 0
            AND fee_u % unit = 0
            AND interchange_u % unit = 0
            AND net_u % unit = 0,
            FALSE
        ) AS readable
    FROM micro
)

SELECT
    $file_id,
    line,
    CAST(settlement_ts AS DATE),
    network,
    network_txn_id,
    txn_type,
    amount_minor,
    currency,
    fee_minor,
    interchange_minor,
    CASE
        WHEN NOT readable THEN error('fast path: the parser must read line ' || coalesce(line, 0))
        WHEN txn_type IN ('AFT', 'SALE', 'CAPTURE')
            AND net_minor <> amount_minor - fee_minor - interchange_minor
            THEN error('fast path: net does not add up on line ' || line)
        WHEN txn_type = 'OCT' AND net_minor <> -(amount_minor + fee_minor + interchange_minor)
            THEN error('fast path: net does not add up on line ' || line)
        ELSE net_minor
    END,
    batch_id
FROM minor

