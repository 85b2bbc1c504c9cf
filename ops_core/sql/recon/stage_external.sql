-- Normalise the rows of new source files into recon_ext_items: one shape for every source,
-- with provenance (file + line or XML path), the reference the rules match on, the flow
-- (in = money into our account) and a status (settled, pending, rejected, reversed).
-- Inputs: rx_new_files, the ingest tables (010), recon_accounts, recon_rules; $run_id.
-- Grain: one row per external row. Reference columns are chosen by the rules (allowlisted in
-- ops_core/recon/rules.py); bank transaction codes listed by a return rule make a line a return.
-- ext_id = (source_file_id * 10 + source code) * 10^9 + the row's line in its file (or, for
-- XML and JSON sources without lines, its ordinal in the file by XML path / tx hash): stable,
-- unique across sources, readable (file 12, bank line 345: 121000000345), no global window.
INSERT INTO recon_ext_items
WITH
exact_key AS (
    -- the exact rule's external key per (source, rail): how to read a row's reference
    SELECT ext_source, rail_id, any_value(ext_key ORDER BY priority) AS ext_key
    FROM recon_rules WHERE pass = 'exact' GROUP BY ext_source, rail_id
),
source_key AS (
    SELECT ext_source, any_value(ext_key ORDER BY priority) AS ext_key
    FROM recon_rules WHERE pass IN ('exact', 'return') GROUP BY ext_source
),
return_codes AS (
    -- (rail, bank transaction code) pairs a return rule names: such a line is a return
    SELECT DISTINCT rail_id, unnest(string_split(type_codes, '|')) AS code
    FROM recon_rules
    WHERE pass = 'return' AND ext_source = 'bank_statement_lines' AND type_codes IS NOT NULL
),
bank_rows AS (
    SELECT s.*, s.source_line AS loc
    FROM bank_statement_lines AS s
    WHERE s.source_line IS NOT NULL
        AND s.source_file_id IN (SELECT file_id FROM rx_new_files)
    UNION ALL
    SELECT s.*, row_number() OVER (PARTITION BY s.source_file_id ORDER BY s.xml_path)
    FROM bank_statement_lines AS s
    WHERE s.source_line IS NULL
        AND s.source_file_id IN (SELECT file_id FROM rx_new_files)
),
bank AS (
    SELECT
        'bank_statement_lines' AS source_table, s.source_file_id, s.loc, s.source_line, s.xml_path,
        CASE
            WHEN s.reversal OR coalesce(s.return_reason, '') <> '' OR EXISTS (
                SELECT 1 FROM return_codes AS rc
                WHERE rc.code = s.type_code AND rc.rail_id IN (a.rail_id, '*'))
                THEN 'return'
            ELSE 'settlement'
        END AS role,
        a.rail_id, a.partner_id, s.account,
        nullif(CASE coalesce(k.ext_key, 'any')
            WHEN 'customer_reference' THEN s.customer_reference
            WHEN 'end_to_end_id' THEN s.end_to_end_id
            WHEN 'bank_reference' THEN s.bank_reference
            ELSE coalesce(nullif(s.end_to_end_id, ''), s.customer_reference)
        END, '') AS ref,
        CASE s.dc WHEN 'credit' THEN 'in' ELSE 'out' END AS flow,
        abs(s.amount_minor) AS amount_minor, s.currency, NULL::BIGINT AS fee_minor,
        s.amount_minor AS net_minor, coalesce(s.booking_date, s.value_date) AS value_date,
        CASE upper(coalesce(nullif(s.status, ''), 'BOOK'))
            WHEN 'BOOK' THEN 'settled' ELSE 'pending'
        END AS ext_status,
        nullif(s.return_reason, '') AS reason_code, s.text AS counterparty,
        NULL AS batch_id, s.type_code, n.trusted
    FROM bank_rows AS s
    JOIN rx_new_files AS n ON n.file_id = s.source_file_id
    LEFT JOIN recon_accounts AS a
        ON a.ext_source = 'bank_statement_lines' AND a.account = s.account
    LEFT JOIN exact_key AS k ON k.ext_source = 'bank_statement_lines' AND k.rail_id = a.rail_id
),
card AS (
    SELECT
        'card_settlements', c.source_file_id, c.source_line, c.source_line, NULL, 'settlement',
        a.rail_id, a.partner_id, c.network, c.network_txn_id,
        CASE WHEN c.net_minor >= 0 THEN 'in' ELSE 'out' END,
        c.amount_minor, c.currency, c.fee_minor, c.net_minor, c.settlement_date, 'settled',
        NULL, NULL, nullif(c.batch_id, ''), c.txn_type, n.trusted
    FROM card_settlements AS c
    JOIN rx_new_files AS n ON n.file_id = c.source_file_id
    LEFT JOIN recon_accounts AS a ON a.ext_source = 'card_settlements' AND a.account = c.network
),
chain AS (
    SELECT
        'chain_transfers', t.source_file_id,
        coalesce(t.source_line, row_number() OVER (
            PARTITION BY t.source_file_id ORDER BY t.tx_hash, t.log_index)),
        t.source_line, NULL, 'settlement',
        a.rail_id, a.partner_id, t.chain, t.tx_hash || ':' || t.log_index, NULL,
        t.amount_minor, t.currency, NULL, NULL, CAST(t.block_time AS DATE),
        CASE WHEN t.removed THEN 'reversed' ELSE 'settled' END,
        NULL, t.to_address, NULL, NULL, n.trusted
    FROM chain_transfers AS t
    JOIN rx_new_files AS n ON n.file_id = t.source_file_id
    LEFT JOIN recon_accounts AS a ON a.ext_source = 'chain_transfers' AND a.account = t.chain
),
status AS (
    -- pacs.002 (domain.md §4.2-4.3): ACSC/ACCC/ACWC final and paid, RJCT/CANC final and not
    SELECT
        'iso_status_reports', r.source_file_id,
        row_number() OVER (PARTITION BY r.source_file_id ORDER BY r.xml_path),
        NULL, r.xml_path, 'settlement',
        NULL, NULL, NULL,
        nullif(CASE k.ext_key
            WHEN 'original_uetr' THEN r.original_uetr ELSE r.original_end_to_end_id
        END, ''),
        NULL, NULL, NULL, NULL, NULL, CAST(r.created_at AS DATE),
        CASE
            WHEN r.status IN ('ACSC', 'ACCC', 'ACWC') THEN 'settled'
            WHEN r.status IN ('RJCT', 'CANC') THEN 'rejected'
            ELSE 'pending'
        END,
        nullif(r.reason_code, ''), NULL, NULL, r.status, n.trusted
    FROM iso_status_reports AS r
    JOIN rx_new_files AS n ON n.file_id = r.source_file_id
    LEFT JOIN source_key AS k ON k.ext_source = 'iso_status_reports'
),
message AS (
    -- pacs.008 credit transfers settle; pacs.004 returns point at the original EndToEndId
    SELECT
        'iso_payment_messages', m.source_file_id,
        row_number() OVER (PARTITION BY m.source_file_id ORDER BY m.xml_path), NULL, m.xml_path,
        CASE WHEN m.message_type = 'pacs.004' THEN 'return' ELSE 'settlement' END,
        NULL, NULL, NULL,
        nullif(CASE WHEN m.message_type = 'pacs.004' THEN m.original_end_to_end_id
            ELSE m.end_to_end_id END, ''),
        NULL, m.amount_minor, m.currency, NULL, NULL, m.settlement_date, 'settled',
        nullif(m.return_reason, ''), coalesce(nullif(m.creditor, ''), m.debtor), NULL,
        m.message_type, n.trusted
    FROM iso_payment_messages AS m
    JOIN rx_new_files AS n ON n.file_id = m.source_file_id
),
ach_return AS (
    SELECT
        'ach_returns', r.source_file_id, r.source_line, r.source_line, NULL, 'return',
        'ACH', NULL, e.rdfi_routing, r.original_trace, CASE e.dc WHEN 'credit' THEN 'in' ELSE 'out' END,
        r.amount_minor, r.currency, NULL, NULL,
        try_strptime(nullif(trim(e.effective_date), ''), '%y%m%d')::DATE,
        'settled', r.return_code, e.individual_name, NULL, r.kind, n.trusted
    FROM ach_returns AS r
    JOIN rx_new_files AS n ON n.file_id = r.source_file_id
    LEFT JOIN ach_entries AS e
        ON e.source_file_id = r.source_file_id AND e.source_line = r.entry_line
),
ach_noc AS (
    SELECT
        'ach_nocs', c.source_file_id, c.source_line, c.source_line, NULL, 'noc',
        'ACH', NULL, e.rdfi_routing, c.original_trace, NULL, 0, 'USD', NULL, NULL,
        try_strptime(nullif(trim(e.effective_date), ''), '%y%m%d')::DATE,
        'settled', c.change_code, e.individual_name, NULL, 'noc', n.trusted
    FROM ach_nocs AS c
    JOIN rx_new_files AS n ON n.file_id = c.source_file_id
    LEFT JOIN ach_entries AS e
        ON e.source_file_id = c.source_file_id AND e.source_line = c.entry_line
),
every AS (
    SELECT * FROM bank
    UNION ALL SELECT * FROM card
    UNION ALL SELECT * FROM chain
    UNION ALL SELECT * FROM status
    UNION ALL SELECT * FROM message
    UNION ALL SELECT * FROM ach_return
    UNION ALL SELECT * FROM ach_noc
)
SELECT
    (source_file_id * 10 + CASE source_table
        WHEN 'bank_statement_lines' THEN 1 WHEN 'card_settlements' THEN 2
        WHEN 'chain_transfers' THEN 3 WHEN 'iso_status_reports' THEN 4
        WHEN 'iso_payment_messages' THEN 5 WHEN 'ach_returns' THEN 6 ELSE 7 END)
        * 1000000000 + loc AS ext_id,
    source_table, source_file_id, source_line, xml_path, role, rail_id, partner_id, account,
    ref, flow, amount_minor, currency, fee_minor, net_minor, value_date, ext_status,
    reason_code, counterparty, batch_id, type_code, trusted, $run_id AS run_id,
    flow = 'in' AS flow_in,
    -- the exact pass's one-byte status (migration 052): settled 0, pending 1, rejected or
    -- reversed 2, else 3
    CAST(CASE ext_status WHEN 'settled' THEN 0 WHEN 'pending' THEN 1 WHEN 'rejected' THEN 2
        WHEN 'reversed' THEN 2 ELSE 3 END AS UTINYINT) AS status_code,
    cur_code(currency) AS cur_code  -- the exact pass compares currencies as numbers (056)
FROM every
