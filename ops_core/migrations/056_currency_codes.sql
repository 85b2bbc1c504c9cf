-- 056: cur_code(c), a currency code as a number, and a staged external item's currency as
-- that number. The exact pass joins 10 million settlement items and carries their columns
-- through its hash table; the currency as a string was 16 bytes a row and a string compare
-- per pair: measured at 3M rows, the pass took 1.45x the bare join's time with the string,
-- 1.24x without the currency at all. stage_external writes the code for new files; the
-- engine codes the ledger's few distinct currencies per run (recon/currencies).
-- The code: a string of up to 7 bytes (every ISO 4217 code, USDC) as the number that a 1
-- followed by its bytes spells (0x1555344 for USD; '' is 1), so two codes are equal exactly
-- when the strings are; a longer string (none passes the importers' checks) as its 64-bit
-- hash with the top bit set, which no short string's code (below 2^57) has. NULL stays NULL,
-- so a comparison behaves as on the strings.
CREATE MACRO cur_code(c) AS
    CASE
        WHEN strlen(c) <= 7 THEN CAST('0x1' || hex(c) AS UBIGINT)
        WHEN c IS NOT NULL THEN hash(c) | (CAST(1 AS UBIGINT) << 63)
    END;

ALTER TABLE recon_ext_items ADD COLUMN cur_code UBIGINT;

UPDATE recon_ext_items SET cur_code = cur_code(currency);
