-- Breaks past their SLA and never escalated move to escalated, into their escalation queue
-- (once: a person who takes an escalated break back to investigating keeps it).
-- Inputs: recon_breaks, rx_judged; $as_of. Grain: one row per break to escalate.
CREATE OR REPLACE TEMP TABLE rx_escalate AS
SELECT b.break_id, b.status AS old_status, b.queue AS old_queue, j.escalate_to
FROM recon_breaks AS b
JOIN rx_judged AS j ON j.break_key = b.break_key
WHERE b.status IN ('open', 'investigating') AND b.sla_due_at < $as_of
    AND b.escalated_at IS NULL
