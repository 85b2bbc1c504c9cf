-- What staged ledger rows depend on, as two digests: of every pair's exact rule, the rule's
-- run number, source code and reference field (scope; the kept pairs depend on it too), and
-- of the late day of every (rule, day) from $lo to $hi (the staged items' days). Equal
-- digests: every staged row is what staging it again would write (see migration 061).
-- Inputs: rx_scope, rx_days; $lo, $hi. Grain: one row.
SELECT
    md5(coalesce((
        SELECT string_agg(concat_ws('|', combo_no, rail_id, partner_id,
            coalesce(rule_id, '-'), coalesce(CAST(rule_no AS VARCHAR), '-'),
            coalesce(CAST(src AS VARCHAR), '-'), coalesce(ledger_key, '-')), ';' ORDER BY combo_no)
        FROM rx_scope
    ), '')) AS scope,
    md5(coalesce((
        SELECT string_agg(concat_ws('|', rule_id, day, coalesce(CAST(late_from AS VARCHAR), '-')),
            ';' ORDER BY rule_id, day)
        FROM rx_days
        WHERE day BETWEEN $lo AND $hi
    ), '')) AS days
