-- Strips, types and checks the entries (Ntry) of a camt.052/053/054 document for the fast path
-- (ops_core/ingest/fast_camt.py) as camt.entry and iso_common.Ctx read them: every value
-- stripped (values holding other whitespace than spaces at their ends do not get here); Ccy three letters, upper-cased, of a known currency;
-- the amount plain digits with at most the currency's decimals (more only as trailing
-- zeros), in minor units and in 10^-5 units for the TxsSummry check; CRDT or DBIT; a status
-- (Sts/Cd, Sts/Prtry or Sts); dates YYYY-MM-DD (the first ten characters of the element's
-- own text, its Dt, or its DtTm); the bank transaction code "Domn/Fmly/SubFmly" or
-- Prtry/Cd; the text AddtlNtryInf, RmtInf/Ustrd or AddtlTxInf. `readable` is false where
-- the parser might read the entry differently (then the parser reads the whole file).
-- Inputs: camt_source (statement_no, entry_no, currency_raw and one text column per
-- element, each the element's own leading text), camt_statements (statement_no ->
-- statement_id, account, path); $currencies / $exponents.
-- Grain: one row per entry.
CREATE OR REPLACE TEMP TABLE camt_fast AS
WITH stripped AS (
    SELECT
        CAST(statement_no AS INTEGER) AS statement_no,
        CAST(entry_no AS INTEGER) AS entry_no,
        trim(currency_raw) AS currency_s,
        trim(amount) AS amount_s,
        trim(indicator) AS indicator,
        coalesce(
            nullif(trim(status_cd), ''),
            nullif(trim(status_prtry), ''),
            trim(status)
        ) AS status,
        coalesce(
            nullif(trim(booking), ''),
            nullif(trim(booking_dt), ''),
            trim(booking_dttm)
        ) AS booking_s,
        coalesce(
            nullif(trim(value), ''),
            nullif(trim(value_dt), ''),
            trim(value_dttm)
        ) AS value_s,
        trim(bank_reference) AS bank_reference,
        trim(customer_reference) AS customer_reference,
        coalesce(
            nullif(concat_ws(
                '/',
                nullif(trim(domain), ''),
                nullif(trim(family), ''),
                nullif(trim(subfamily), '')
            ), ''),
            trim(proprietary)
        ) AS type_code,
        coalesce(
            nullif(trim(info), ''),
            nullif(trim(unstructured), ''),
            trim(tx_info)
        ) AS text,
        trim(end_to_end_id) AS end_to_end_id,
        trim(return_reason) AS return_reason,
        lower(trim(reversal)) = 'true' AS reversal
    FROM camt_source
),

typed AS (
    SELECT
        stripped.*,
        upper(currency_s) AS currency,
        units.exponent,
        regexp_full_match(currency_s, '[A-Za-z]{3}') AS currency_ok,
        regexp_full_match(amount_s, '[0-9]{1,12}(\.[0-9]*)?') AS amount_ok,
        split_part(amount_s, '.', 1) AS whole,
        split_part(amount_s, '.', 2) AS fraction,
        CASE
            WHEN regexp_full_match(left(booking_s, 10), '[0-9]{4}-[0-9]{2}-[0-9]{2}')
                AND NOT starts_with(booking_s, '0000')
                THEN try_cast(left(booking_s, 10) AS DATE)
        END AS booking_date,
        CASE
            WHEN regexp_full_match(left(value_s, 10), '[0-9]{4}-[0-9]{2}-[0-9]{2}')
                AND NOT starts_with(value_s, '0000')
                THEN try_cast(left(value_s, 10) AS DATE)
        END AS value_date
    FROM stripped
    LEFT JOIN
        (SELECT unnest($currencies) AS code, unnest($exponents) AS exponent) AS units
        ON upper(stripped.currency_s) = units.code
),

amounts AS (
    SELECT
        typed.*,
        coalesce(
            currency_ok
            AND amount_ok
            AND exponent IS NOT NULL
            AND exponent <= 5
            AND trim(substr(fraction, exponent + 1), '0') = '',
            FALSE
        ) AS amount_readable
    FROM typed
),

minor AS (
    SELECT
        amounts.*,
        CASE
            WHEN amount_readable
                THEN CAST(whole || rpad(left(fraction, exponent), exponent, '0') AS BIGINT)
        END AS amount_abs
    FROM amounts
)

SELECT
    m.statement_no,
    m.entry_no,
    s.statement_id,
    s.account,
    s.path
    || '/'
    || CASE WHEN m.entry_no = 1 THEN 'Ntry' ELSE 'Ntry[' || m.entry_no || ']' END AS xml_path,
    m.indicator = 'DBIT' AS debit,
    CASE WHEN m.indicator = 'DBIT' THEN -m.amount_abs ELSE m.amount_abs END AS amount_minor,
    m.amount_abs * CAST(pow(10, 5 - m.exponent) AS BIGINT) AS units,
    m.currency,
    m.type_code,
    m.booking_date,
    m.value_date,
    m.bank_reference,
    m.customer_reference,
    m.text,
    m.status,
    m.end_to_end_id,
    m.return_reason,
    m.reversal,
    coalesce(
        m.amount_readable
        AND m.indicator IN ('CRDT', 'DBIT')
        AND m.status <> ''
        AND (m.booking_s = '' OR m.booking_date IS NOT NULL)
        AND (m.value_s = '' OR m.value_date IS NOT NULL),
        FALSE
    ) AS readable
FROM minor AS m
INNER JOIN camt_statements AS s ON m.statement_no = s.statement_no
