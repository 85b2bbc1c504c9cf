-- Item states are rewritten by every run. Inputs: recon_ext_exc.
-- Grain: deletes all rows.
DELETE FROM recon_ext_exc
