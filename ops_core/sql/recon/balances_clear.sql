-- The tie-out is recomputed by every run. Inputs: recon_balances. Grain: deletes all rows.
DELETE FROM recon_balances
