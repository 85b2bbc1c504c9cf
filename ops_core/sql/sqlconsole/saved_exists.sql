-- Whether $owner already has a saved query called $query_name (names are unique per owner).
-- Inputs: $owner, $query_name. Grain: one row, one boolean.
SELECT count(*) > 0 AS taken
FROM saved_queries
WHERE owner = $owner AND lower(name) = lower($query_name)
