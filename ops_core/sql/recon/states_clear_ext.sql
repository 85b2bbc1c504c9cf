-- Item states are rewritten by every run. Inputs: recon_ledger_exc, recon_ext_exc.
-- Grain: deletes all rows of recon_ledger_exc.
DELETE FROM recon_ledger_exc
