-- Merges, splits and checks the transaction detail (16) records of a BAI2 file for the fast
-- path (ops_core/ingest/fast_bai2.py), as bai2_records.Logical and bai2.Fields read them: an
-- 88 continues the fields after a "/" (joined by ",") or else the text (joined by " "); then
-- type code, amount (optional sign, digits; blank = 0), funds type and its extra fields
-- (V: 2, S: 3, D: 1 + 2 per distribution), bank and customer references, and the text (the
-- rest, commas included, one trailing "/" dropped). `readable` is false where the parser
-- might read the record differently (then the parser reads the whole file).
-- Inputs: bai2_lines (line, owner = the 16's line, seq = 0 for the 16 and 1.. for its 88s,
-- last = the owner's last piece, continued = the owner has 88s, piece = the stripped line
-- after its record code, run, account_no), bai2_codes (detail type code -> txn CR/DB).
-- Grain: one row per 16 record.
CREATE OR REPLACE TEMP TABLE bai2_details AS
WITH pieces AS (
    SELECT
        owner,
        seq,
        last,
        continued,
        run,
        account_no,
        piece
    FROM bai2_lines
),

merged AS (
    SELECT
        owner AS line,
        run,
        account_no,
        0 AS continuations,
        TRUE AS pieces_ok,
        piece AS body
    FROM pieces
    WHERE NOT continued
    UNION ALL
    SELECT
        owner AS line,
        any_value(run) AS run,
        any_value(account_no) AS account_no,
        count(*) - 1 AS continuations,
        bool_and(seq = 0 OR trim(piece) <> '') AS pieces_ok,
        string_agg(
            CASE
                WHEN last THEN piece
                WHEN ends_with(rtrim(piece), '/') THEN left(rtrim(piece), length(rtrim(piece)) - 1) || ','
                ELSE piece || ' '
            END,
            ''
            ORDER BY seq
        ) AS body
    FROM pieces
    WHERE continued
    GROUP BY owner
),

fields AS (
    SELECT
        line,
        run,
        account_no,
        continuations,
        pieces_ok,
        string_split(
            CASE
                WHEN ends_with(rtrim(body), '/') THEN left(rtrim(body), length(rtrim(body)) - 1)
                ELSE rtrim(body)
            END,
            ','
        ) AS items
    FROM merged
),

funds AS (
    SELECT
        fields.*,
        trim(coalesce(items[1], '')) AS type_code,
        trim(coalesce(items[2], '')) AS amount_s,
        upper(trim(coalesce(items[3], ''))) AS funds_type,
        trim(coalesce(items[4], '')) AS distributions_s
    FROM fields
),

offsets AS (
    SELECT
        funds.*,
        CASE
            WHEN funds_type IN ('', '0', '1', '2', 'Z') THEN 0
            WHEN funds_type = 'V' THEN 2
            WHEN funds_type = 'S' THEN 3
            WHEN funds_type = 'D' AND regexp_full_match(distributions_s, '[0-9]{1,4}')
                THEN 1 + 2 * CAST(distributions_s AS INTEGER)
            WHEN funds_type = 'D' AND distributions_s = '' THEN 1
        END AS extra
    FROM funds
),

raw AS (
    SELECT
        offsets.*,
        trim(coalesce(items[4 + coalesce(extra, 0)], '')) AS bank_reference,
        trim(coalesce(items[5 + coalesce(extra, 0)], '')) AS customer_reference,
        trim(array_to_string(items[6 + coalesce(extra, 0):], ',')) AS rest
    FROM offsets
)

SELECT
    r.line,
    r.run,
    r.account_no,
    r.continuations,
    r.type_code,
    c.txn,
    CASE
        WHEN r.amount_s IN ('', '+', '-') THEN 0
        WHEN regexp_full_match(r.amount_s, '[+-]?[0-9]{1,18}') THEN CAST(r.amount_s AS BIGINT)
    END AS amount,
    r.bank_reference,
    r.customer_reference,
    rtrim(
        CASE WHEN ends_with(r.rest, '/') THEN left(r.rest, length(r.rest) - 1) ELSE r.rest END
    ) AS text,
    coalesce(
        r.pieces_ok
        AND c.txn IS NOT NULL
        AND r.extra IS NOT NULL
        AND (r.amount_s IN ('', '+', '-') OR regexp_full_match(r.amount_s, '[+-]?[0-9]{1,18}')),
        FALSE
    ) AS readable
FROM raw AS r
LEFT JOIN bai2_codes AS c ON r.type_code = c.code
