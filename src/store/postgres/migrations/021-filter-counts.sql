-- How many resources of each account, region and type carry each key = value,
-- kept by triggers on tags, as on SQLite (021-filter-counts.sql says why). Each
-- count is up to 16 shard rows: a change takes one no other transaction holds
-- (FOR UPDATE SKIP LOCKED, from a random start, as eni_counts in eni-repo.ts),
-- so creating ENIs that all carry one tag does not queue on one row. The
-- triggers are per statement, over the rows it changed grouped by count (a
-- bulk insert of 1,000 ENIs' tags is a few counter changes, not 2,000).
CREATE TABLE tag_counts (
  account_id TEXT COLLATE "C" NOT NULL,
  region_id TEXT COLLATE "C" NOT NULL,
  resource_type TEXT COLLATE "C" NOT NULL,
  key TEXT COLLATE "C" NOT NULL,
  value TEXT COLLATE "C" NOT NULL,
  shard INTEGER NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (account_id, region_id, resource_type, key, value, shard)
);
INSERT INTO tag_counts (account_id, region_id, resource_type, key, value, shard, n)
  SELECT account_id, region_id, resource_type, key, value, 0, COUNT(*) FROM tags GROUP BY account_id, region_id, resource_type, key, value;

CREATE FUNCTION eniplane_tag_count_add(p_account TEXT, p_region TEXT, p_type TEXT, p_key TEXT, p_value TEXT, p_delta BIGINT)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  start INTEGER := floor(random() * 16)::INTEGER;
BEGIN
  UPDATE tag_counts SET n = n + p_delta
    WHERE account_id = p_account AND region_id = p_region AND resource_type = p_type AND key = p_key AND value = p_value
      AND shard = (SELECT shard FROM tag_counts
                   WHERE account_id = p_account AND region_id = p_region AND resource_type = p_type AND key = p_key AND value = p_value
                   ORDER BY (shard + start) % 16 LIMIT 1 FOR UPDATE SKIP LOCKED);
  IF NOT FOUND THEN
    -- No shard yet, or every one held by another transaction: add to a random one (creating it), which may wait.
    INSERT INTO tag_counts (account_id, region_id, resource_type, key, value, shard, n)
      VALUES (p_account, p_region, p_type, p_key, p_value, start, p_delta)
      ON CONFLICT (account_id, region_id, resource_type, key, value, shard) DO UPDATE SET n = tag_counts.n + excluded.n;
  END IF;
END $$;

-- The rows a statement inserted (+1), deleted (-1) or changed (both), netted per count, in key order.
CREATE FUNCTION eniplane_tags_counted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r RECORD;
BEGIN
  IF TG_OP = 'INSERT' THEN
    FOR r IN SELECT account_id, region_id, resource_type, key, value, COUNT(*) AS d FROM new_tags
             GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5 LOOP
      PERFORM eniplane_tag_count_add(r.account_id, r.region_id, r.resource_type, r.key, r.value, r.d);
    END LOOP;
  ELSIF TG_OP = 'DELETE' THEN
    FOR r IN SELECT account_id, region_id, resource_type, key, value, COUNT(*) AS d FROM old_tags
             GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5 LOOP
      PERFORM eniplane_tag_count_add(r.account_id, r.region_id, r.resource_type, r.key, r.value, -r.d);
    END LOOP;
  ELSE
    FOR r IN SELECT account_id, region_id, resource_type, key, value, SUM(d) AS d FROM (
               SELECT account_id, region_id, resource_type, key, value, 1 AS d FROM new_tags
               UNION ALL SELECT account_id, region_id, resource_type, key, value, -1 AS d FROM old_tags) c
             GROUP BY 1, 2, 3, 4, 5 HAVING SUM(d) <> 0 ORDER BY 1, 2, 3, 4, 5 LOOP
      PERFORM eniplane_tag_count_add(r.account_id, r.region_id, r.resource_type, r.key, r.value, r.d);
    END LOOP;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER tags_counted_insert AFTER INSERT ON tags REFERENCING NEW TABLE AS new_tags
  FOR EACH STATEMENT EXECUTE FUNCTION eniplane_tags_counted();
CREATE TRIGGER tags_counted_delete AFTER DELETE ON tags REFERENCING OLD TABLE AS old_tags
  FOR EACH STATEMENT EXECUTE FUNCTION eniplane_tags_counted();
CREATE TRIGGER tags_counted_update AFTER UPDATE ON tags REFERENCING OLD TABLE AS old_tags NEW TABLE AS new_tags
  FOR EACH STATEMENT EXECUTE FUNCTION eniplane_tags_counted();

-- The ENIs of each account, region, VPC and status, as on SQLite (a filter
-- most of an account's ENIs match: Status=InUse, VpcId), sharded the same way.
-- Inserts and deletes per statement (a bulk load is a few changes); an update
-- per row, only when the VPC or status changes.
CREATE TABLE eni_state_counts (
  account_id TEXT COLLATE "C" NOT NULL,
  region_id TEXT COLLATE "C" NOT NULL,
  vpc_id TEXT COLLATE "C" NOT NULL,
  status TEXT COLLATE "C" NOT NULL,
  shard INTEGER NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (account_id, region_id, vpc_id, status, shard)
);
INSERT INTO eni_state_counts (account_id, region_id, vpc_id, status, shard, n)
  SELECT account_id, region_id, vpc_id, status, 0, COUNT(*) FROM enis GROUP BY account_id, region_id, vpc_id, status;

CREATE FUNCTION eniplane_eni_state_count_add(p_account TEXT, p_region TEXT, p_vpc TEXT, p_status TEXT, p_delta BIGINT)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  start INTEGER := floor(random() * 16)::INTEGER;
BEGIN
  UPDATE eni_state_counts SET n = n + p_delta
    WHERE account_id = p_account AND region_id = p_region AND vpc_id = p_vpc AND status = p_status
      AND shard = (SELECT shard FROM eni_state_counts
                   WHERE account_id = p_account AND region_id = p_region AND vpc_id = p_vpc AND status = p_status
                   ORDER BY (shard + start) % 16 LIMIT 1 FOR UPDATE SKIP LOCKED);
  IF NOT FOUND THEN
    INSERT INTO eni_state_counts (account_id, region_id, vpc_id, status, shard, n)
      VALUES (p_account, p_region, p_vpc, p_status, start, p_delta)
      ON CONFLICT (account_id, region_id, vpc_id, status, shard) DO UPDATE SET n = eni_state_counts.n + excluded.n;
  END IF;
END $$;

CREATE FUNCTION eniplane_enis_counted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r RECORD;
BEGIN
  IF TG_OP = 'INSERT' THEN
    FOR r IN SELECT account_id, region_id, vpc_id, status, COUNT(*) AS d FROM new_enis GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4 LOOP
      PERFORM eniplane_eni_state_count_add(r.account_id, r.region_id, r.vpc_id, r.status, r.d);
    END LOOP;
  ELSE
    FOR r IN SELECT account_id, region_id, vpc_id, status, COUNT(*) AS d FROM old_enis GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4 LOOP
      PERFORM eniplane_eni_state_count_add(r.account_id, r.region_id, r.vpc_id, r.status, -r.d);
    END LOOP;
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION eniplane_eni_state_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM eniplane_eni_state_count_add(OLD.account_id, OLD.region_id, OLD.vpc_id, OLD.status, -1);
  PERFORM eniplane_eni_state_count_add(NEW.account_id, NEW.region_id, NEW.vpc_id, NEW.status, 1);
  RETURN NULL;
END $$;

CREATE TRIGGER enis_counted_insert AFTER INSERT ON enis REFERENCING NEW TABLE AS new_enis
  FOR EACH STATEMENT EXECUTE FUNCTION eniplane_enis_counted();
CREATE TRIGGER enis_counted_delete AFTER DELETE ON enis REFERENCING OLD TABLE AS old_enis
  FOR EACH STATEMENT EXECUTE FUNCTION eniplane_enis_counted();
CREATE TRIGGER enis_counted_update AFTER UPDATE OF account_id, region_id, vpc_id, status ON enis FOR EACH ROW
  WHEN (OLD.account_id IS DISTINCT FROM NEW.account_id OR OLD.region_id IS DISTINCT FROM NEW.region_id
        OR OLD.vpc_id IS DISTINCT FROM NEW.vpc_id OR OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION eniplane_eni_state_changed();
