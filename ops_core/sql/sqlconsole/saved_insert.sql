-- Save a console query. Inputs: $name, $owner, $dialect, $sql_text, $created_at.
-- Grain: one new saved_queries row; returns its query_id.
INSERT INTO saved_queries (name, owner, dialect, sql_text, created_at)
VALUES ($name, $owner, $dialect, $sql_text, $created_at)
RETURNING query_id
