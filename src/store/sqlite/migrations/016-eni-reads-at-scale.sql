-- DescribeNetworkInterfaces on an account with tens of thousands of ENIs
-- (bench/scale, docs/scaling.md):
-- 1. A page filtered by vSwitch: with only enis_account_region and enis_vswitch
--    to choose from, SQLite took the one with more equalities and walked the
--    account's every ENI in id order looking for the vSwitch's (0.4–0.7 s at
--    50,000 ENIs). This one serves the filter and the id order together.
CREATE INDEX enis_account_vswitch ON enis(account_id, region_id, vswitch_id, id);
-- 2. The ENIs of each account and region, counted as they are inserted and
--    deleted (eni-repo.ts): an unfiltered page's TotalCount, the ENI quota
--    check of CreateNetworkInterface and the tag-filter planner read this
--    instead of counting the account's index range (20 ms at 50,000 ENIs).
--    PostgreSQL spreads each count over up to 16 shard rows, each change going
--    to one no other transaction holds (SKIP LOCKED), so creations and deletes
--    in one account do not queue on one row; SQLite's one writer needs shard 0.
CREATE TABLE eni_counts (
  account_id TEXT NOT NULL,
  region_id TEXT NOT NULL,
  shard INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (account_id, region_id, shard)
) WITHOUT ROWID;
INSERT INTO eni_counts (account_id, region_id, shard, n)
  SELECT account_id, region_id, 0, COUNT(*) FROM enis GROUP BY account_id, region_id;
