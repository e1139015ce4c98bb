-- Trunk ENIs, as on SQLite (012-trunk-members.sql says why).
ALTER TABLE enis ADD COLUMN trunk_eni_id TEXT;
CREATE INDEX enis_trunk ON enis(trunk_eni_id) WHERE trunk_eni_id IS NOT NULL;
