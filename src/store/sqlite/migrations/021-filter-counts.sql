-- A tag filter's TotalCount without counting its matches (docs/scaling.md):
-- how many resources of each account, region and type carry each key = value,
-- kept by triggers on tags, so every path that writes tags (TagResources,
-- CreateNetworkInterface, the deletes of each resource, state import, the
-- bench's bulk load) keeps it, in the same transaction. DescribeNetworkInterfaces
-- filtered by a tag every ENI carries (terway's creator tag) counted 50,000
-- index entries for its TotalCount; now one row (a key alone: one a value).
-- SQLite's one writer needs shard 0 only; PostgreSQL spreads a count over up to
-- 16 shard rows as eni_counts does (migration 016).
CREATE TABLE tag_counts (
  account_id TEXT NOT NULL,
  region_id TEXT NOT NULL,
  resource_type TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  shard INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (account_id, region_id, resource_type, key, value, shard)
) WITHOUT ROWID;
INSERT INTO tag_counts (account_id, region_id, resource_type, key, value, shard, n)
  SELECT account_id, region_id, resource_type, key, value, 0, COUNT(*) FROM tags GROUP BY account_id, region_id, resource_type, key, value;
CREATE TRIGGER tags_counted_insert AFTER INSERT ON tags BEGIN
  INSERT INTO tag_counts (account_id, region_id, resource_type, key, value, shard, n)
    VALUES (NEW.account_id, NEW.region_id, NEW.resource_type, NEW.key, NEW.value, 0, 1)
    ON CONFLICT (account_id, region_id, resource_type, key, value, shard) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER tags_counted_delete AFTER DELETE ON tags BEGIN
  UPDATE tag_counts SET n = n - 1
    WHERE account_id = OLD.account_id AND region_id = OLD.region_id AND resource_type = OLD.resource_type
      AND key = OLD.key AND value = OLD.value AND shard = 0;
END;
CREATE TRIGGER tags_counted_update AFTER UPDATE ON tags
  WHEN OLD.account_id IS NOT NEW.account_id OR OLD.region_id IS NOT NEW.region_id OR OLD.resource_type IS NOT NEW.resource_type
    OR OLD.key IS NOT NEW.key OR OLD.value IS NOT NEW.value
BEGIN
  UPDATE tag_counts SET n = n - 1
    WHERE account_id = OLD.account_id AND region_id = OLD.region_id AND resource_type = OLD.resource_type
      AND key = OLD.key AND value = OLD.value AND shard = 0;
  INSERT INTO tag_counts (account_id, region_id, resource_type, key, value, shard, n)
    VALUES (NEW.account_id, NEW.region_id, NEW.resource_type, NEW.key, NEW.value, 0, 1)
    ON CONFLICT (account_id, region_id, resource_type, key, value, shard) DO UPDATE SET n = n + 1;
END;

-- The same for a filter most of an account's ENIs match, Status=InUse or
-- VpcId: the ENIs of each account, region, VPC and status, kept by triggers
-- on enis (an update only when one of those changes).
CREATE TABLE eni_state_counts (
  account_id TEXT NOT NULL,
  region_id TEXT NOT NULL,
  vpc_id TEXT NOT NULL,
  status TEXT NOT NULL,
  shard INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (account_id, region_id, vpc_id, status, shard)
) WITHOUT ROWID;
INSERT INTO eni_state_counts (account_id, region_id, vpc_id, status, shard, n)
  SELECT account_id, region_id, vpc_id, status, 0, COUNT(*) FROM enis GROUP BY account_id, region_id, vpc_id, status;
CREATE TRIGGER enis_counted_insert AFTER INSERT ON enis BEGIN
  INSERT INTO eni_state_counts (account_id, region_id, vpc_id, status, shard, n)
    VALUES (NEW.account_id, NEW.region_id, NEW.vpc_id, NEW.status, 0, 1)
    ON CONFLICT (account_id, region_id, vpc_id, status, shard) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER enis_counted_delete AFTER DELETE ON enis BEGIN
  UPDATE eni_state_counts SET n = n - 1
    WHERE account_id = OLD.account_id AND region_id = OLD.region_id AND vpc_id = OLD.vpc_id AND status = OLD.status AND shard = 0;
END;
CREATE TRIGGER enis_counted_update AFTER UPDATE OF account_id, region_id, vpc_id, status ON enis
  WHEN OLD.account_id IS NOT NEW.account_id OR OLD.region_id IS NOT NEW.region_id OR OLD.vpc_id IS NOT NEW.vpc_id
    OR OLD.status IS NOT NEW.status
BEGIN
  UPDATE eni_state_counts SET n = n - 1
    WHERE account_id = OLD.account_id AND region_id = OLD.region_id AND vpc_id = OLD.vpc_id AND status = OLD.status AND shard = 0;
  INSERT INTO eni_state_counts (account_id, region_id, vpc_id, status, shard, n)
    VALUES (NEW.account_id, NEW.region_id, NEW.vpc_id, NEW.status, 0, 1)
    ON CONFLICT (account_id, region_id, vpc_id, status, shard) DO UPDATE SET n = n + 1;
END;
