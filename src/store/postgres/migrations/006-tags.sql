-- One tags table for every taggable resource, as on SQLite (007-tags.sql says why).
CREATE TABLE tags (
  resource_id TEXT COLLATE "C" NOT NULL,
  key TEXT COLLATE "C" NOT NULL,
  value TEXT COLLATE "C" NOT NULL,
  resource_type TEXT COLLATE "C" NOT NULL,
  account_id TEXT COLLATE "C" NOT NULL,
  region_id TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (resource_id, key)
);
CREATE INDEX tags_by_key ON tags(account_id, region_id, resource_type, key, value, resource_id);
INSERT INTO tags (resource_id, key, value, resource_type, account_id, region_id)
  SELECT t.eni_id, t.key, t.value, 'eni', e.account_id, e.region_id FROM eni_tags t JOIN enis e ON e.id = t.eni_id;
DROP TABLE eni_tags;
