-- rx_money(minor, currency, exponent): integer minor units as text with thousands separators
-- and the currency, without floating point ('-1,234.50 USD'). Inputs: none. Grain: a macro.
CREATE OR REPLACE TEMP MACRO rx_money(minor, ccy, e) AS
    CASE WHEN minor IS NULL THEN NULL ELSE
        CASE WHEN minor < 0 THEN '-' ELSE '' END
        || format('{:,}', abs(minor) // CAST(10 ** coalesce(e, 2) AS BIGINT))
        || CASE WHEN coalesce(e, 2) > 0 THEN '.' || lpad(
            CAST(abs(minor) % CAST(10 ** coalesce(e, 2) AS BIGINT) AS VARCHAR),
            CAST(coalesce(e, 2) AS INTEGER), '0')
            ELSE '' END
        || ' ' || ccy
    END
