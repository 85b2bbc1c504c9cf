-- One break with everything the detail page shows about it, and its match when it has one.
-- Inputs: recon_breaks, recon_matches; $break_id; $partner (NULL = any; else no row unless the
-- break is that partner's: partner screen-share mode). Grain: one row.
SELECT b.*, m.ledger_ids, m.ext_ids, m.kind AS match_kind, m.reason AS match_reason,
    m.score AS match_score
FROM recon_breaks AS b
LEFT JOIN recon_matches AS m ON m.match_id = b.match_id
WHERE b.break_id = $break_id
    AND (CAST($partner AS VARCHAR) IS NULL OR b.partner_id = CAST($partner AS VARCHAR))
