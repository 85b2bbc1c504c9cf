-- The account numbers and personal names a break's free text may carry (its account, its
-- ledger payment's counterparty name and account, its external item's counterparty and
-- account), so that a partner's view can cut them to their last four characters.
-- Inputs: recon_breaks, payments, recon_ext_items; $partner. Grain: one row per break of
-- that partner.
SELECT
    b.break_id,
    -- list_distinct also drops the NULLs
    list_distinct(
        [b.account, p.counterparty_name, p.counterparty_account, e.counterparty, e.account]
    ) AS personal
FROM recon_breaks AS b
LEFT JOIN payments AS p ON p.payment_id = b.payment_id
LEFT JOIN recon_ext_items AS e ON e.ext_id = b.ext_id
WHERE b.partner_id = CAST($partner AS VARCHAR)
ORDER BY b.break_id
