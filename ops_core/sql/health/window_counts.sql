-- Logical-payment counts per rail for the selected day (k = 0) and the same time-of-day
-- window k whole days earlier, for each k in $offsets.
-- Inputs: rollup_hourly; $day_start (start of the viewer's day, UTC instant), $cur_end (end of
-- the day or the data's now, whichever is first), $offsets (list of day offsets, 0 = the day),
-- $partners (the partners in view).
-- Grain: rail x k.
WITH h AS (
    SELECT
        *,
        CAST(ceil((epoch($day_start) - epoch(hour)) / 86400) AS INTEGER) AS k
    FROM rollup_hourly
    WHERE hour >= $day_start - INTERVAL 29 DAY AND hour < $cur_end
      AND list_contains($partners, partner_id)
)
SELECT
    rail_id,
    k,
    sum(payments) AS payments,
    sum(succeeded) AS succeeded,
    sum(payments - pending) AS decided,
    sum(pending) AS pending,
    sum(amount_minor) AS amount_minor
FROM h
WHERE list_contains($offsets, k)
  AND epoch(hour) + 86400 * k >= epoch($day_start)
  AND epoch(hour) + 86400 * k < epoch($cur_end)
GROUP BY rail_id, k
