-- Addenda 98 (notifications of change) of a NACHA file the fast path checked
-- (ops_core/ingest/fast_nacha.py), laid out as nacha_addenda.noc does.
-- Inputs: nacha_fast_addenda (line, text, entry_line), nacha_fast_entries; $file_id.
-- Grain: one row per addenda 98.
INSERT INTO ach_nocs (
    source_file_id, source_line, entry_line, entry_trace_number, change_code,
    original_trace, original_rdfi, corrected_data, trace_number
)
SELECT
    $file_id,
    a.line,
    a.entry_line,
    substr(e.text, 80, 15),
    substr(a.text, 4, 3),
    trim(substr(a.text, 7, 15)),
    trim(substr(a.text, 28, 8)),
    trim(substr(a.text, 36, 29)),
    trim(substr(a.text, 80, 15))
FROM nacha_fast_addenda AS a
INNER JOIN nacha_fast_entries AS e ON a.entry_line = e.line
WHERE substr(a.text, 2, 2) = '98'
