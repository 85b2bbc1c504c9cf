-- 061: the ledger side of reconciliation, staged once per payment and kept across runs, as the
-- external side has been since 049/052 (recon_ext_items). Every run used to derive it again
-- for every payment: its exact rule, reference, flow, currency code and late day (1.4 s of a
-- 7.2 s run at 10 million payments). A run now stages only the payments nobody has staged,
-- and all of them again only when what a staged row depends on has changed (the basis below).
-- What depends on the run's date (whether an unmatched item is still in flight, whether a
-- kept tolerance or batch match holds it) is not staged: a run works it out per run.

-- (rail, partner) pairs of the ledger, numbered once: a staged row names its pair by number.
CREATE TABLE recon_ledger_combos (
    combo_no   UINTEGER NOT NULL,
    rail_id    VARCHAR NOT NULL,
    partner_id VARCHAR NOT NULL
);

-- One row per staged payment attempt: ref is its reference under its pair's exact rule
-- (rule_no: recon/rule_numbers; src: the rule's external source as stage_external codes it),
-- l_in whether money comes in (a pull), cur its currency's cur_code (056), st its status
-- code (rx_names('status')), item_day the UTC day it went final (created, while pending),
-- late_from the first statement day that counts as late (the rule's banking days).
CREATE TABLE recon_ledger_items (
    payment_id   BIGINT NOT NULL,
    combo_no     UINTEGER NOT NULL,
    rule_no      USMALLINT,
    src          TINYINT,
    ref          VARCHAR,
    l_in         BOOLEAN,
    amount_minor BIGINT,
    cur          UBIGINT,
    st           UTINYINT,
    item_day     DATE,
    late_from    DATE
);

-- What the staged rows were derived under: a digest of every pair's rule, rule number,
-- source and reference field, and of the late day of every (rule, day) in the staged items'
-- range of days [lo, hi]. A run whose own digest differs (a rule edited, added or coming into
-- force; a calendar changed) stages every payment again. At most one row.
CREATE TABLE recon_ledger_basis (
    digest VARCHAR NOT NULL,
    lo     DATE,
    hi     DATE
);
