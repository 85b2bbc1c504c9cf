-- Put the resolved pairs and duplicates of fanned-out references back.
-- Inputs: rx_dupfix. Grain: inserts pair rows.
INSERT INTO rx_pairs_fix SELECT * FROM rx_dupfix
