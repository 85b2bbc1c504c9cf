-- Open a break for every finding no break has yet: routed to its queue (and owner), severity
-- from its amount and age. The SLA counts from when the difference became knowable: the day
-- after the item's date (its statement arrived), or the run's as-of time if that is earlier,
-- so a first run over old data sees old breaks as old. A new break already past its SLA is
-- written escalated, into its escalation queue (version 2: opened, then escalated), as
-- breaks_escalate would escalate an older one: updating rows just written is slow in DuckDB
-- (a second pass over tens of thousands of fresh rows), and the audit trail is the same
-- (breaks_new_changes, breaks_escalate_changes).
-- Inputs: rx_judged, recon_breaks; $run_id, $as_of, $now. Grain: inserts one break per new
-- finding.
INSERT INTO recon_breaks (break_key, category, side, payment_id, ext_id, match_id, account,
    rail_id, partner_id, currency, ledger_amount_minor, ext_amount_minor, difference_minor,
    exposure_minor, exposure_usd_minor, field, ledger_value, ext_value, detail, item_date,
    rule_id, detected_at, first_run_id, last_run_id, severity, sla_due_at, queue, assignee,
    status, escalated_at, version)
WITH j AS (
    SELECT *, least($as_of, CAST(item_date + 1 AS TIMESTAMPTZ)) AS detected,
        least($as_of, CAST(item_date + 1 AS TIMESTAMPTZ)) + to_hours(sla_hours) < $as_of
            AS breached
    FROM rx_judged
    WHERE break_key NOT IN (SELECT break_key FROM recon_breaks)
)
SELECT
    j.break_key, j.category, j.side, j.payment_id, j.ext_id, j.match_id, j.account, j.rail_id,
    j.partner_id, j.currency, j.ledger_amount_minor, j.ext_amount_minor, j.difference_minor,
    j.exposure_minor, j.exposure_usd_minor, j.field, j.ledger_value, j.ext_value, j.detail,
    j.item_date, j.rule_id, j.detected, $run_id, $run_id, j.severity,
    j.detected + to_hours(j.sla_hours),
    CASE WHEN j.breached THEN j.escalate_to ELSE j.queue END, j.owner,
    CASE WHEN j.breached THEN 'escalated' ELSE 'open' END,
    CASE WHEN j.breached THEN $now END,
    CASE WHEN j.breached THEN 2 ELSE 1 END
FROM j
ORDER BY j.item_date, j.break_key
