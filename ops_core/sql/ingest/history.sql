-- The import history: every loaded file, newest first, for the Import page.
-- Inputs: source_files; $limit. Grain: one row per loaded file (sha256 is unique).
SELECT
    file_id,
    loaded_at,
    original_name,
    format,
    sha256,
    size_bytes,
    row_count,
    totals,
    warnings,
    json_array_length(warnings) AS warning_count,
    coalesce(control_ok, TRUE) AS control_ok,
    loaded_by
FROM source_files
ORDER BY loaded_at DESC, file_id DESC
LIMIT $limit
