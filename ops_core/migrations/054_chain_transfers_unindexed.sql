-- 054: chain_transfers loses its (chain, tx_hash, log_index) index. It was not unique (it
-- enforced nothing), and no query looks a transfer up by it: reconciliation stages the
-- table by source file and joins on the key with hash joins, which do not use ART
-- indexes. Maintaining it was a fifth of loading a 200k-transfer explorer export (the
-- index merge at commit: 0.18 s of 0.71 s). The key's uniqueness within a file is the
-- loaders' check (usdc.py refuses a repeated (tx_hash, logIndex); an explorer CSV numbers
-- a transaction's transfers itself).
DROP INDEX chain_transfers_key;
