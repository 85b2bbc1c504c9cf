-- 012: column-mapping profiles people save for generic CSV imports (ops_core/ingest/csv_profiles.py).
-- A profile maps a bank's or processor's CSV columns onto bank_statement_lines or
-- card_settlements (CARD_SETTLEMENT_FORMAT.md, "Profiles"); bundled profiles live in
-- ops_core/ingest/profiles/ and are not stored here. Every save is in audit_log.
CREATE TABLE ingest_profiles (
    name       VARCHAR PRIMARY KEY,      -- [a-z0-9_], not a bundled profile's name
    target     VARCHAR NOT NULL CHECK (target IN ('bank_statement_lines', 'card_settlements')),
    definition VARCHAR NOT NULL,         -- the profile as JSON
    saved_at   TIMESTAMPTZ NOT NULL,
    saved_by   VARCHAR NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1
);
