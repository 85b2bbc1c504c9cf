-- 060: saved SQL console queries (ops_core.sqlconsole.saved; issue 8).
-- A saved query is the text as its owner typed it and the dialect it was written in; it is
-- checked again every time it runs. Creation is audited (audit_log entity 'saved_query').

CREATE SEQUENCE saved_query_seq START 1;
CREATE TABLE saved_queries (
    query_id   BIGINT PRIMARY KEY DEFAULT nextval('saved_query_seq'),
    name       VARCHAR NOT NULL,
    owner      VARCHAR NOT NULL,          -- the signed-in user who saved it
    dialect    VARCHAR NOT NULL,          -- sqlglot dialect the text is written in
    sql_text   VARCHAR NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    UNIQUE (owner, name)
);
