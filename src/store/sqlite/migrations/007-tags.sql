-- One tags table for every taggable resource (ENIs, instances, security groups,
-- VPCs, vSwitches) instead of eni_tags: TagResources/ListTagResources work the
-- same for each type, and a tag filter on any Describe call is one indexed
-- lookup. Resource ids are unique across types (their prefixes differ); the
-- key (resource_id, key) loads a resource's tags, tags_by_key answers "which
-- resources of this account, region and type carry key[=value]" in id order.
-- No foreign key (the owner lives in one of five tables): each repository
-- deletes its resource's tags with the resource.
CREATE TABLE tags (
  resource_id TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  resource_type TEXT NOT NULL,
  account_id TEXT NOT NULL,
  region_id TEXT NOT NULL,
  PRIMARY KEY (resource_id, key)
) WITHOUT ROWID;
CREATE INDEX tags_by_key ON tags(account_id, region_id, resource_type, key, value, resource_id);
INSERT INTO tags (resource_id, key, value, resource_type, account_id, region_id)
  SELECT t.eni_id, t.key, t.value, 'eni', e.account_id, e.region_id FROM eni_tags t JOIN enis e ON e.id = t.eni_id;
DROP TABLE eni_tags;
