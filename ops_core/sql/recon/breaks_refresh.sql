-- Breaks still found: refresh what the engine owns (amounts, values, detail, severity as the
-- break ages) without touching what people own (status, assignee, notes) or the version, so
-- a person's open form stays valid; only rows whose figures changed are written (an open
-- break is, by definition, still found by the latest run). Inputs: rx_judged, recon_breaks;
-- $run_id. Grain: updates open breaks found again with new figures.
UPDATE recon_breaks AS b
SET
    ledger_amount_minor = j.ledger_amount_minor,
    ext_amount_minor = j.ext_amount_minor,
    difference_minor = j.difference_minor,
    exposure_minor = j.exposure_minor,
    exposure_usd_minor = j.exposure_usd_minor,
    ledger_value = j.ledger_value,
    ext_value = j.ext_value,
    detail = j.detail,
    severity = j.severity
FROM rx_judged AS j
WHERE b.break_key = j.break_key AND b.status IN ('open', 'investigating', 'escalated')
    AND b.first_run_id <> $run_id
    AND (b.severity IS DISTINCT FROM j.severity OR b.detail IS DISTINCT FROM j.detail
        OR b.ledger_amount_minor IS DISTINCT FROM j.ledger_amount_minor
        OR b.ext_amount_minor IS DISTINCT FROM j.ext_amount_minor
        OR b.exposure_usd_minor IS DISTINCT FROM j.exposure_usd_minor
        OR b.ledger_value IS DISTINCT FROM j.ledger_value
        OR b.ext_value IS DISTINCT FROM j.ext_value)
