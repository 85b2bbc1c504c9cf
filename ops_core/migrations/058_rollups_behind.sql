-- A ledger load no longer rebuilds the rollups in its own transaction: it records the
-- earliest first-attempt time it changed here, in the same transaction as its rows, and
-- ops_core.derived.catch_up rebuilds the rollups and routing day tables from it (once for a
-- batch of files, and before any page or command reads them). NULL: the rollups are current.
ALTER TABLE data_version ADD COLUMN rollups_behind_since TIMESTAMPTZ;
