-- Writes the TxInfAndSts of a pacs.002 status report for the fast path
-- (ops_core/ingest/fast_pacs.py) as pacs.status builds them, and fails (error(), so the loader
-- rolls back and runs the parser, iso20022.py) at the first status the parser might read
-- differently: a TxSts that is not four ASCII capitals (the parser's check is
-- four upper-case letters, Unicode ones included; it then names the path or accepts the code).
-- OrgnlGrpInf/OrgnlMsgId falls back to the group's OrgnlGrpInfAndSts/OrgnlMsgId, the reason
-- is StsRsnInf/Rsn/Cd or else Prtry; provenance is the XML path, no line.
-- Inputs: pacs_source (Arrow: status_no, the TxInfAndSts's place among its siblings, and one
-- text column per element, each the element's own leading text stripped of spaces; values
-- holding other whitespace at their ends do not get here), pacs_group (one row: msg_id,
-- original_msg_id, created_at as pacs.group_header read them); $file_id; $base (the path of
-- the first TxInfAndSts). Grain: one row per TxInfAndSts.
INSERT INTO iso_status_reports (
    source_file_id, xml_path, msg_id, original_msg_id, original_end_to_end_id, original_tx_id,
    original_uetr, status, reason_code, created_at
)
SELECT
    $file_id,
    $base || CASE WHEN s.status_no = 1 THEN '' ELSE '[' || s.status_no || ']' END,
    g.msg_id,
    coalesce(nullif(s.original_msg_id, ''), g.original_msg_id),
    s.end_to_end_id,
    s.tx_id,
    s.uetr,
    CASE
        WHEN regexp_full_match(s.status, '[A-Z]{4}') THEN s.status
        ELSE error('fast path: the parser must read TxInfAndSts ' || s.status_no)
    END,
    coalesce(nullif(s.reason_cd, ''), s.reason_prtry),
    g.created_at
FROM pacs_source AS s
CROSS JOIN pacs_group AS g
