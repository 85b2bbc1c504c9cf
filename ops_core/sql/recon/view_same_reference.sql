-- The other external items of the same source carrying the same reference as $ext_id, with the
-- payment each is paired with (what a duplicate repeats). Inputs: recon_ext_items,
-- recon_ext_state; $ext_id. Grain: one row per item sharing the reference.
SELECT o.ext_id, s.payment_id
FROM recon_ext_items AS d
JOIN recon_ext_items AS o
    ON o.source_table = d.source_table AND o.ref = d.ref AND o.ext_id <> d.ext_id
LEFT JOIN recon_ext_state AS s ON s.ext_id = o.ext_id
WHERE d.ext_id = $ext_id
ORDER BY o.ext_id
