-- External items by id with their provenance (file name, line or XML path, when loaded) and
-- state (the bank, network or chain side of a break). Inputs: recon_ext_items,
-- recon_ext_state, source_files, payments; $ids (BIGINT[]); $partner (NULL = any; else items of
-- that partner, or paired with its payments). Grain: one row per external item.
SELECT
    e.ext_id, e.source_table, f.original_name AS file, e.source_file_id, e.source_line,
    e.xml_path, f.loaded_at, f.control_ok, e.role, e.rail_id, e.partner_id, e.account, e.ref,
    e.flow, e.amount_minor, e.currency, e.fee_minor, e.net_minor, e.value_date, e.ext_status,
    e.reason_code, e.type_code, e.counterparty, e.batch_id, s.state, s.rule_id, s.reason
FROM recon_ext_items AS e
LEFT JOIN recon_ext_state AS s ON s.ext_id = e.ext_id
LEFT JOIN source_files AS f ON f.file_id = e.source_file_id
LEFT JOIN payments AS p ON p.payment_id = s.payment_id
WHERE list_contains($ids, e.ext_id)
    AND (CAST($partner AS VARCHAR) IS NULL OR coalesce(e.partner_id, p.partner_id) = CAST($partner AS VARCHAR))
ORDER BY e.ext_id
