-- Addenda 99 (returns, dishonored R61-R70, contested R71-R77) of a NACHA file the fast path
-- checked (ops_core/ingest/fast_nacha.py), laid out as nacha_addenda.return_addenda does.
-- Inputs: nacha_fast_addenda (line, text, entry_line), nacha_fast_entries; $file_id,
-- $contested, $dishonored (code lists). Grain: one row per addenda 99.
INSERT INTO ach_returns (
    source_file_id, source_line, entry_line, entry_trace_number, kind, return_code,
    original_trace, original_rdfi, amount_minor, currency, addenda_info, date_of_death,
    return_trace, return_settlement_date, return_reason_code, dishonored_return_trace,
    dishonored_return_settlement_date, dishonored_return_reason_code, trace_number
)
WITH r AS (
    SELECT
        a.line,
        a.entry_line,
        a.text,
        e.text AS entry_text,
        substr(a.text, 4, 3) AS code,
        CASE
            WHEN list_contains($contested, substr(a.text, 4, 3)) THEN 'contested'
            WHEN list_contains($dishonored, substr(a.text, 4, 3)) THEN 'dishonored'
            ELSE 'return'
        END AS kind
    FROM nacha_fast_addenda AS a
    INNER JOIN nacha_fast_entries AS e ON a.entry_line = e.line
    WHERE substr(a.text, 2, 2) = '99'
)
SELECT
    $file_id,
    line,
    entry_line,
    substr(entry_text, 80, 15),
    kind,
    code,
    trim(substr(text, 7, 15)),
    trim(substr(text, 28, 8)),
    CAST(substr(entry_text, 30, 10) AS BIGINT),
    'USD',
    CASE kind
        WHEN 'return' THEN trim(substr(text, 36, 44))
        WHEN 'dishonored' THEN trim(substr(text, 59, 21))
        ELSE ''
    END,
    CASE WHEN kind = 'return' THEN trim(substr(text, 22, 6)) ELSE '' END,
    CASE WHEN kind = 'return' THEN '' ELSE trim(substr(text, 39, 15)) END,
    CASE WHEN kind = 'return' THEN '' ELSE trim(substr(text, 54, 3)) END,
    CASE WHEN kind = 'return' THEN '' ELSE trim(substr(text, 57, 2)) END,
    CASE WHEN kind = 'contested' THEN trim(substr(text, 59, 15)) ELSE '' END,
    CASE WHEN kind = 'contested' THEN trim(substr(text, 74, 3)) ELSE '' END,
    CASE WHEN kind = 'contested' THEN trim(substr(text, 77, 2)) ELSE '' END,
    trim(substr(text, 80, 15))
FROM r
