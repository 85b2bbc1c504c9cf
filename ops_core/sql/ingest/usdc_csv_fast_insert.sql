-- Writes a plain USDC explorer CSV export in one pass for the fast path
-- (ops_core/ingest/fast_usdc.py), and fails (error(), so the loader rolls back and runs the
-- parser, usdc_csv.py) at the first row the parser might read differently: a contract that
-- is not USDC on the row's chain, a hash or address not 0x + lower-case hex once lowered, a
-- block or timestamp not 1-18 / 1-11 digits, a quantity not digits[.digits] (at most 12
-- integer digits and 6 decimals, commas as thousands separators).
-- Inputs: usdc_source (Arrow: the mapped columns as text, trimmed of spaces, no quote left
-- in them; line, the
-- physical line; blank, every cell of the row empty; ordinal, the log index: the row's place
-- among its transaction's rows, in file order, as the parser counts it); $file_id; $chain
-- (the default chain); $chains / $contracts (USDC's contract per chain).
-- Grain: one row per data row that is not all blank.
INSERT INTO chain_transfers (
    source_file_id, source_line, chain, tx_hash, log_index, block_number, contract,
    from_address, to_address, amount_minor, currency, removed, block_time
)
WITH cells AS (
    SELECT
        line,
        ordinal,
        lower(coalesce(nullif(chain, ''), $chain)) AS chain,
        contract AS contract_s,
        lower(tx_hash) AS tx_hash,
        lower(from_address) AS from_address,
        lower(to_address) AS to_address,
        block AS block_s,
        stamp AS stamp_s,
        replace(quantity, ',', '') AS quantity_s
    FROM usdc_source
    WHERE NOT blank
),

checked AS (
    SELECT
        cells.*,
        list_extract($contracts, list_position($chains, chain)) AS usdc,
        lower(coalesce(nullif(contract_s, ''), list_extract($contracts, list_position($chains, chain))))
            AS contract,
        coalesce(
            regexp_full_match(tx_hash, '0x[0-9a-f]{64}')
            AND regexp_full_match(from_address, '0x[0-9a-f]{40}')
            AND regexp_full_match(to_address, '0x[0-9a-f]{40}')
            AND regexp_full_match(block_s, '[0-9]{1,18}')
            AND regexp_full_match(stamp_s, '[0-9]{1,11}')
            AND regexp_full_match(quantity_s, '[0-9]{1,12}(\.[0-9]{1,6})?'),
            FALSE
        ) AS readable
    FROM cells
)

SELECT
    $file_id,
    line,
    chain,
    tx_hash,
    ordinal,
    CAST(block_s AS BIGINT),
    CASE
        WHEN NOT readable OR usdc IS NULL OR contract <> usdc
            THEN error('fast path: the parser must read line ' || coalesce(line, 0))
        ELSE contract
    END,
    from_address,
    to_address,
    micros(CAST(quantity_s AS DECIMAL(18, 6))),  -- base units (migration 055)
    'USDC',
    FALSE,
    to_timestamp(CAST(stamp_s AS BIGINT))
FROM checked
