-- Expands the demo generator's integer-coded frame (demo_frame) into ledger rows.
-- Inputs: demo_frame (registered DataFrame) and lookup lists; references are derived
-- deterministically from $seed and the payment id. Grain: one row per payment attempt.
INSERT INTO payments
WITH f AS (
    SELECT
        *,
        $rails[rail + 1] AS rail_id,
        hash($seed || ':' || payment_id) AS h,
        make_timestamp(created_us)::TIMESTAMPTZ AS created_at
    FROM demo_frame
)
SELECT
    payment_id,
    original_id,
    attempt_no,
    make_timestamp(original_created_us)::TIMESTAMPTZ,
    $clients[client + 1],
    rail_id,
    $partners[partner + 1],
    CASE WHEN pull THEN 'pull' ELSE 'push' END,
    CASE WHEN pull THEN 'debit' ELSE 'credit' END,
    CASE
        WHEN rail_id IN ('VISA_DIRECT', 'MC_MOVE') AND pull THEN 'AFT'
        WHEN rail_id IN ('VISA_DIRECT', 'MC_MOVE') THEN 'OCT'
        ELSE $txn_types[txn_type + 1]
    END,
    amount,
    $currencies[rail + 1],
    created_at,
    CASE WHEN final_us >= 0 THEN make_timestamp(final_us)::TIMESTAMPTZ END,
    $statuses[status + 1],
    CASE WHEN returned_us >= 0 THEN make_timestamp(returned_us)::TIMESTAMPTZ END,
    CASE WHEN code >= 0 THEN $schemes[rail + 1] END,
    CASE WHEN code >= 0 THEN $codes[code + 1] END,
    -- ACH trace number: ODFI routing (8 digits) + 7-digit sequence (domain.md §2.2).
    CASE WHEN rail_id = 'ACH'
        THEN $routing[partner + 1] || lpad(CAST(payment_id % 10000000 AS VARCHAR), 7, '0') END,
    CASE WHEN rail_id IN ('RTP', 'FEDNOW', 'SEPA_INST', 'SPEI')
        THEN 'RY' || strftime(created_at, '%Y%m%d') || lpad(CAST(payment_id AS VARCHAR), 12, '0')
    END,
    CASE WHEN rail_id IN ('RTP', 'FEDNOW') THEN (
        WITH m AS (SELECT md5($seed || ':uetr:' || payment_id) AS x)
        SELECT substr(x, 1, 8) || '-' || substr(x, 9, 4) || '-4' || substr(x, 14, 3) || '-a'
            || substr(x, 18, 3) || '-' || substr(x, 21, 12) FROM m
    ) END,
    CASE
        WHEN rail_id IN ('VISA_DIRECT', 'MC_MOVE') THEN lpad(CAST(h % 1000000000000000 AS VARCHAR), 15, '0')
        WHEN rail_id = 'UPI' THEN lpad(CAST(h % 1000000000000 AS VARCHAR), 12, '0')
    END,
    CASE WHEN rail_id = 'USDC' THEN '0x' || sha256($seed || ':tx:' || payment_id) END,
    CASE WHEN rail_id = 'USDC' THEN CAST(h % 300 AS INTEGER) END,
    $first_names[CAST(h % 24 AS INTEGER) + 1] || ' ' || $last_names[CAST((h // 24) % 24 AS INTEGER) + 1],
    CASE
        WHEN rail_id IN ('VISA_DIRECT', 'MC_MOVE') THEN '************' || lpad(CAST((h // 7) % 10000 AS VARCHAR), 4, '0')
        WHEN rail_id = 'USDC' THEN '0x' || substr(md5($seed || ':addr:' || payment_id), 1, 32) || substr(md5(payment_id::VARCHAR), 1, 8)
        WHEN rail_id = 'SEPA_INST' THEN 'DK50' || lpad(CAST((h // 11) % 100000000000000 AS VARCHAR), 14, '0')
        WHEN rail_id = 'SPEI' THEN '0021' || lpad(CAST((h // 13) % 100000000000000 AS VARCHAR), 14, '0')
        WHEN rail_id = 'UPI' THEN lower($first_names[CAST(h % 24 AS INTEGER) + 1]) || CAST((h // 5) % 1000 AS VARCHAR) || '@indus'
        ELSE lpad(CAST((h // 17) % 10000000000 AS VARCHAR), 10, '0')
    END,
    NULL,
    NULL
FROM f
