-- Writes Transfer logs of an eth_getLogs result for the fast path
-- (ops_core/ingest/fast_usdc_logs.py: the logs of some parts of the file each time, in file
-- order, on its writer thread). The caller has checked every field as the parser
-- (usdc.py) does and typed it as the parser stores it: hash and addresses lower-cased, the
-- hex numbers as integers, the time as a UTC timestamp. A log index beyond the table's
-- INTEGER fails the insert, so the loader rolls back and runs the parser, which refuses
-- the file naming the log and field (usdc._bounded).
-- Inputs: usdc_logs_source (Arrow, one row per log in file order: tx_hash, from_address,
-- to_address, amount, block_number, log_index, block_time, removed); $file_id; $chain;
-- $contract (USDC on $chain, lower-case).
-- Grain: one row per log.
INSERT INTO chain_transfers (
    source_file_id, source_line, chain, tx_hash, log_index, block_number, contract,
    from_address, to_address, amount_minor, currency, removed, block_time
)
SELECT
    $file_id,
    NULL,  -- JSON is not line-oriented: the parser records no line either
    $chain,
    tx_hash,
    log_index,
    block_number,
    $contract,
    from_address,
    to_address,
    amount,
    'USDC',
    removed,
    block_time
FROM usdc_logs_source
