-- Breaks past their SLA and never escalated move to escalated, into their escalation queue
-- (once: a person who takes an escalated break back to investigating keeps it). Breaks this
-- run opened already past their SLA were written escalated by breaks_new (is_new): they are
-- listed for the audit trail and the run's counts, not updated again.
-- Inputs: recon_breaks, rx_judged; $as_of, $run_id. Grain: one row per break to escalate.
CREATE OR REPLACE TEMP TABLE rx_escalate AS
SELECT b.break_id, b.status AS old_status, b.queue AS old_queue, j.escalate_to,
    FALSE AS is_new
FROM recon_breaks AS b
JOIN rx_judged AS j ON j.break_key = b.break_key
WHERE b.status IN ('open', 'investigating') AND b.sla_due_at < $as_of
    AND b.escalated_at IS NULL
UNION ALL
SELECT b.break_id, 'open', j.queue, j.escalate_to, TRUE
FROM recon_breaks AS b
JOIN rx_judged AS j ON j.break_key = b.break_key
WHERE b.first_run_id = $run_id AND b.status = 'escalated'
