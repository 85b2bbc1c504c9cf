-- Every saved console query, newest first. Inputs: none. Grain: one row per saved query.
SELECT query_id, name, owner, dialect, sql_text, created_at
FROM saved_queries
ORDER BY created_at DESC, query_id DESC
