-- Types and checks every row of a ledger export (ops_core/ingest/ledger.py, layout in
-- ops_core/ingest/LEDGER_FORMAT.md). Inputs: temp view ledger_stage (the file's reader: every
-- layout column as VARCHAR, trimmed, NULL when blank or absent from the file; nl, line feeds
-- inside quoted fields); $currencies / $exponents (the currencies of ops_core.money and their
-- minor-unit exponents); $rails (known rail ids); $schemes and $scheme_codes (the codes
-- table's schemes, and its scheme || chr(31) || code).
-- No joins, and none made by the optimizer (list_contains of a constant list becomes one,
-- list_position does not): the table keeps the file's row order, by which ledger.py numbers
-- the rows (tests/ingest/test_ledger.py checks the plan).
-- Grain: one row per file row, typed (the text of the typed fields is not kept: writing it
-- was a third of the statement), with `problem` = the first check the row fails (field,
-- message, expected) or NULL when it passes them all.
CREATE OR REPLACE TEMP TABLE ledger_rows AS
WITH s AS (
    SELECT
        nl,
        payment_id AS payment_id_s,
        original_payment_id AS original_payment_id_s,
        attempt_no AS attempt_no_s,
        client_id,
        rail_id,
        partner_id,
        lower(direction) AS direction,
        lower(dc) AS dc,
        txn_type,
        amount_minor AS amount_minor_s,
        amount AS amount_s,
        upper(currency) AS currency,
        created_at AS created_at_s,
        final_at AS final_at_s,
        lower(status) AS status,
        returned_at AS returned_at_s,
        code_scheme,
        code,
        ach_trace_number,
        end_to_end_id,
        uetr,
        network_txn_id,
        tx_hash,
        log_index AS log_index_s,
        counterparty_name,
        counterparty_account
    FROM ledger_stage
),

parsed AS (
    SELECT
        s.*,
        CASE
            WHEN regexp_full_match(payment_id_s, '[0-9]{1,18}')
                THEN CAST(payment_id_s AS BIGINT)
        END AS pid,
        CASE
            WHEN regexp_full_match(original_payment_id_s, '[0-9]{1,18}')
                THEN CAST(original_payment_id_s AS BIGINT)
        END AS opid_given,
        CASE
            WHEN regexp_full_match(attempt_no_s, '[0-9]{1,4}') THEN CAST(attempt_no_s AS SMALLINT)
        END AS attempt_given,
        list_extract($exponents, list_position($currencies, currency)) AS exponent,
        CASE
            WHEN regexp_full_match(amount_minor_s, '[0-9]{1,18}')
                THEN CAST(amount_minor_s AS BIGINT)
        END AS amount_minor_given,
        CASE
            WHEN regexp_full_match(amount_s, '[0-9]{1,15}(\.[0-9]+)?')
                THEN length(split_part(amount_s, '.', 2))
        END AS amount_decimals,
        CASE
            WHEN regexp_full_match(
                created_at_s,
                '[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?'
            ) THEN try_cast(created_at_s AS TIMESTAMPTZ)
        END AS created_at,
        CASE
            WHEN regexp_full_match(
                final_at_s,
                '[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?'
            ) THEN try_cast(final_at_s AS TIMESTAMPTZ)
        END AS final_at,
        CASE
            WHEN regexp_full_match(
                returned_at_s,
                '[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?'
            ) THEN try_cast(returned_at_s AS TIMESTAMPTZ)
        END AS returned_at,
        CASE
            WHEN regexp_full_match(log_index_s, '[0-9]{1,9}') THEN CAST(log_index_s AS INTEGER)
        END AS log_index
    FROM s
),

typed AS (
    SELECT
        parsed.*,
        coalesce(opid_given, pid) AS opid,
        coalesce(attempt_given, 1) AS attempt,
        coalesce(
            amount_minor_given,
            CASE
                WHEN amount_decimals <= exponent
                    THEN try_cast(
                        CAST(replace(amount_s, '.', '') AS HUGEINT)
                        * CAST(pow(10, exponent - amount_decimals) AS BIGINT) AS BIGINT
                    )
            END
        ) AS minor,
        list_position($schemes, code_scheme) IS NOT NULL AS scheme_known,
        list_position($scheme_codes, code_scheme || chr(31) || code) IS NOT NULL AS code_known
    FROM parsed
)

SELECT
    typed.* EXCLUDE (
        payment_id_s, original_payment_id_s, attempt_no_s, amount_minor_s, amount_s,
        created_at_s, final_at_s, returned_at_s, log_index_s, opid_given, attempt_given,
        amount_minor_given, amount_decimals, exponent, scheme_known, code_known
    ),
    CASE
        WHEN payment_id_s IS NULL
            THEN {'field': 'payment_id', 'message': 'payment_id is blank', 'expected': 'a positive integer'}
        WHEN pid IS NULL OR pid = 0
            THEN {'field': 'payment_id', 'message': 'not a payment id: ''' || left(payment_id_s, 40) || '''', 'expected': 'a positive integer of at most 18 digits'}
        WHEN original_payment_id_s IS NOT NULL AND (opid_given IS NULL OR opid_given = 0)
            THEN {'field': 'original_payment_id', 'message': 'not a payment id: ''' || left(original_payment_id_s, 40) || '''', 'expected': 'blank (a first attempt) or a positive integer'}
        WHEN attempt_no_s IS NOT NULL AND (attempt_given IS NULL OR attempt_given < 1)
            THEN {'field': 'attempt_no', 'message': 'not an attempt number: ''' || left(attempt_no_s, 40) || '''', 'expected': 'an integer from 1 to 9999'}
        WHEN opid = pid AND attempt <> 1
            THEN {'field': 'attempt_no', 'message': 'attempt ' || attempt || ' but original_payment_id is the payment itself', 'expected': '1 for a first attempt, or the first attempt''s id in original_payment_id'}
        WHEN opid <> pid AND attempt < 2
            THEN {'field': 'attempt_no', 'message': 'a retry of payment ' || opid || ' with attempt_no ' || attempt, 'expected': '2 or more for a retry'}
        WHEN client_id IS NULL
            THEN {'field': 'client_id', 'message': 'client_id is blank', 'expected': 'the client''s id'}
        WHEN rail_id IS NULL
            THEN {'field': 'rail_id', 'message': 'rail_id is blank', 'expected': array_to_string($rails, ', ')}
        WHEN list_position($rails, rail_id) IS NULL
            THEN {'field': 'rail_id', 'message': 'unknown rail ''' || left(rail_id, 40) || '''', 'expected': array_to_string($rails, ', ')}
        WHEN partner_id IS NULL
            THEN {'field': 'partner_id', 'message': 'partner_id is blank', 'expected': 'the partner''s id'}
        WHEN direction IS NULL OR direction NOT IN ('push', 'pull')
            THEN {'field': 'direction', 'message': 'direction ''' || coalesce(left(direction, 40), '') || ''' is not allowed', 'expected': 'push or pull'}
        WHEN dc IS NULL OR dc NOT IN ('debit', 'credit')
            THEN {'field': 'dc', 'message': 'dc ''' || coalesce(left(dc, 40), '') || ''' is not allowed', 'expected': 'debit or credit'}
        WHEN currency IS NULL OR exponent IS NULL
            THEN {'field': 'currency', 'message': 'unknown currency ''' || coalesce(left(currency, 40), '') || '''', 'expected': array_to_string($currencies, ', ')}
        WHEN amount_minor_s IS NULL AND amount_s IS NULL
            THEN {'field': coalesce($amount_column, 'amount_minor'), 'message': 'the amount is blank', 'expected': 'a positive amount'}
        WHEN amount_minor_s IS NOT NULL AND amount_minor_given IS NULL
            THEN {'field': 'amount_minor', 'message': 'not an amount in minor units: ''' || left(amount_minor_s, 40) || '''', 'expected': 'a positive integer (cents for USD)'}
        WHEN amount_s IS NOT NULL AND amount_decimals IS NULL
            THEN {'field': 'amount', 'message': 'not an amount: ''' || left(amount_s, 40) || '''', 'expected': 'a positive decimal number with a ''.'' separator'}
        WHEN amount_s IS NOT NULL AND amount_decimals > exponent
            THEN {'field': 'amount', 'message': '''' || left(amount_s, 40) || ''' has more decimals than ' || currency || ' allows', 'expected': 'at most ' || exponent || ' decimals'}
        WHEN minor IS NULL
            THEN {'field': coalesce($amount_column, 'amount_minor'), 'message': 'the amount is too large', 'expected': 'at most 9223372036854775807 minor units'}
        WHEN minor <= 0
            THEN {'field': coalesce($amount_column, 'amount_minor'), 'message': 'the amount is zero', 'expected': 'a positive amount (the direction is in dc)'}
        WHEN created_at_s IS NULL
            THEN {'field': 'created_at', 'message': 'created_at is blank', 'expected': 'an ISO 8601 timestamp'}
        WHEN created_at IS NULL
            THEN {'field': 'created_at', 'message': 'not a timestamp: ''' || left(created_at_s, 40) || '''', 'expected': 'an ISO 8601 timestamp, e.g. 2026-11-19T14:05:09Z (no offset = UTC)'}
        WHEN status IS NULL OR status NOT IN ('pending', 'completed', 'failed', 'returned')
            THEN {'field': 'status', 'message': 'status ''' || coalesce(left(status, 40), '') || ''' is not allowed', 'expected': 'pending, completed, failed or returned'}
        WHEN final_at_s IS NOT NULL AND final_at IS NULL
            THEN {'field': 'final_at', 'message': 'not a timestamp: ''' || left(final_at_s, 40) || '''', 'expected': 'an ISO 8601 timestamp, e.g. 2026-11-19T14:05:09Z (no offset = UTC)'}
        WHEN status = 'pending' AND final_at IS NOT NULL
            THEN {'field': 'final_at', 'message': 'a pending payment has a final_at', 'expected': 'blank while pending'}
        WHEN status <> 'pending' AND final_at IS NULL
            THEN {'field': 'final_at', 'message': 'final_at is blank for a ' || status || ' payment', 'expected': 'when it reached its final status'}
        WHEN final_at < created_at
            THEN {'field': 'final_at', 'message': 'final_at ' || strftime(final_at, '%Y-%m-%dT%H:%M:%S.%fZ') || ' is before created_at', 'expected': 'at or after ' || strftime(created_at, '%Y-%m-%dT%H:%M:%S.%fZ')}
        WHEN returned_at_s IS NOT NULL AND returned_at IS NULL
            THEN {'field': 'returned_at', 'message': 'not a timestamp: ''' || left(returned_at_s, 40) || '''', 'expected': 'an ISO 8601 timestamp, e.g. 2026-11-19T14:05:09Z (no offset = UTC)'}
        WHEN status = 'returned' AND returned_at IS NULL
            THEN {'field': 'returned_at', 'message': 'returned_at is blank for a returned payment', 'expected': 'when the return arrived'}
        WHEN status <> 'returned' AND returned_at IS NOT NULL
            THEN {'field': 'returned_at', 'message': 'a ' || status || ' payment has a returned_at', 'expected': 'blank unless returned'}
        WHEN returned_at < final_at
            THEN {'field': 'returned_at', 'message': 'returned_at ' || strftime(returned_at, '%Y-%m-%dT%H:%M:%S.%fZ') || ' is before final_at', 'expected': 'at or after ' || strftime(final_at, '%Y-%m-%dT%H:%M:%S.%fZ')}
        WHEN code IS NOT NULL AND code_scheme IS NULL
            THEN {'field': 'code_scheme', 'message': 'code ''' || left(code, 40) || ''' without a code_scheme', 'expected': 'the scheme of the code (nacha_return, iso20022, iso8583, ...)'}
        WHEN code IS NULL AND code_scheme IS NOT NULL
            THEN {'field': 'code', 'message': 'code_scheme ''' || left(code_scheme, 40) || ''' without a code', 'expected': 'a code, or both blank'}
        WHEN scheme_known AND NOT code_known
            THEN {'field': 'code', 'message': 'code ''' || left(code, 40) || ''' is not a ' || code_scheme || ' code', 'expected': 'a code of the codes table'}
        WHEN log_index_s IS NOT NULL AND log_index IS NULL
            THEN {'field': 'log_index', 'message': 'not a log index: ''' || left(log_index_s, 40) || '''', 'expected': 'blank or a non-negative integer'}
    END AS problem
FROM typed
