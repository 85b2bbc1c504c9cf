-- Item states are rewritten by every run. Inputs: recon_matched, recon_ledger_exc.
-- Grain: deletes all rows of recon_matched.
DELETE FROM recon_matched
