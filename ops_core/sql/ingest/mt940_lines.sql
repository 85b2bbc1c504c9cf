-- Parses and checks the statement lines (:61: and the :86: after it) of an MT940 file for the
-- fast path (ops_core/ingest/fast_mt940.py), as mt940._line reads them: the parser's regular
-- expression (its "cref up to the first //" look-ahead done with split_part), value date
-- YYMMDD, entry date MMDD in the year that puts it within 183 days of the value date, amount
-- with a decimal comma in the currency's decimals, and the structured-:86: rule (every "?"
-- opens a two-digit subfield). A tag's text is its first line and its continuation lines,
-- each trimmed, joined by spaces. `readable` is false where the parser might read the line
-- differently (then the parser reads the whole file).
-- Inputs: mt940_items (idx, line, statement_no, content = the :61: line after its tag,
-- detail_idx / detail: the tag line after it and its content when that is a :86:, else -1),
-- mt940_continuations (idx, owner = the tag line it continues, content = the line), each
-- content without its line break and trimmed of spaces; mt940_statements
-- (statement_no -> account, currency, exponent, statement_id). Grain: one row per :61: line.
CREATE OR REPLACE TEMP TABLE mt940_fast AS
WITH continuations AS (
    SELECT
        owner,
        string_agg(content, ' ' ORDER BY idx) AS joined,
        count(*) AS n
    FROM mt940_continuations
    GROUP BY owner
),

lines AS (
    SELECT
        i.line,
        i.statement_no,
        i.content AS first,
        c.joined AS supplementary,
        coalesce(c.n, 0) AS n_continuations,
        CASE
            WHEN i.detail_idx >= 0 AND d.n > 0 THEN trim(i.detail || ' ' || d.joined)
            WHEN i.detail_idx >= 0 THEN i.detail
            ELSE ''
        END AS details
    FROM mt940_items AS i
    LEFT JOIN continuations AS c ON i.idx = c.owner
    LEFT JOIN continuations AS d ON i.detail_idx = d.owner
),

matched AS (
    SELECT
        l.*,
        i.account,
        i.currency,
        i.exponent,
        i.statement_id,
        regexp_extract(
            l.first,
            '^([0-9]{6})([0-9]{4}|\s{4})?(R?[DC]|E[DC])([A-Z])?([0-9]+(?:,[0-9]*)?)([A-Z][A-Z0-9]{3})?(.*)$',
            ['value', 'entry', 'mark', 'funds', 'amount', 'type', 'rest']
        ) AS g
    FROM lines AS l
    INNER JOIN mt940_statements AS i ON l.statement_no = i.statement_no
),

parsed AS (
    SELECT
        matched.*,
        g.value <> '' AS ok,  -- the expression matched the whole line (value is 6 digits)
        CAST(try_strptime(g.value, '%y%m%d') AS DATE) AS value_date,
        trim(g.entry) AS entry,
        g.mark,
        split_part(g.amount, ',', 1) AS whole,
        split_part(g.amount, ',', 2) AS fraction,
        g.type AS type_code,
        trim(split_part(g.rest, '//', 1)) AS customer_reference,
        CASE
            WHEN strpos(g.rest, '//') > 0 THEN trim(substr(g.rest, strpos(g.rest, '//') + 2))
            ELSE ''
        END AS bank_reference
    FROM matched
),

dated AS (
    SELECT
        parsed.*,
        CASE
            WHEN entry <> '' THEN coalesce(
                CASE
                    WHEN abs(date_diff('day', value_date, CAST(try_strptime(year(value_date) || entry, '%Y%m%d') AS DATE))) < 183
                        THEN CAST(try_strptime(year(value_date) || entry, '%Y%m%d') AS DATE)
                END,
                CASE
                    WHEN abs(date_diff('day', value_date, CAST(try_strptime((year(value_date) + 1) || entry, '%Y%m%d') AS DATE))) < 183
                        THEN CAST(try_strptime((year(value_date) + 1) || entry, '%Y%m%d') AS DATE)
                END,
                CASE
                    WHEN abs(date_diff('day', value_date, CAST(try_strptime((year(value_date) - 1) || entry, '%Y%m%d') AS DATE))) < 183
                        THEN CAST(try_strptime((year(value_date) - 1) || entry, '%Y%m%d') AS DATE)
                END
            )
        END AS booking_date
    FROM parsed
)

SELECT
    line,
    statement_no,
    account,
    currency,
    statement_id,
    mark IN ('D', 'RC', 'ED') AS debit,
    starts_with(mark, 'R') AS reversal,
    CASE WHEN mark IN ('D', 'RC', 'ED') THEN -1 ELSE 1 END
    * CASE
        WHEN length(fraction) <= exponent AND length(whole) <= 15
            THEN CAST(whole || rpad(fraction, CAST(exponent AS INTEGER), '0') AS BIGINT)
    END AS amount_minor,
    type_code,
    booking_date,
    value_date,
    bank_reference,
    customer_reference,
    trim(
        CASE WHEN n_continuations > 0 THEN supplementary || ' ' || details ELSE details END
    ) AS text,
    coalesce(
        ok
        AND value_date IS NOT NULL
        AND length(fraction) <= exponent
        AND length(whole) <= 15
        AND NOT (
            regexp_matches(details, '^[0-9]{3}\?')
            AND regexp_matches(details, '\?([^0-9]|[0-9][^0-9]|[0-9]?$)')
        ),
        FALSE
    ) AS readable
FROM dated
