-- One round trip per assign/unassign, no hot row, no deadlock
-- (src/store/postgres/README.md, "Where correctness comes from", says why).
--
-- 1. A security group's IP count lives in 16 shard rows, each with an escrowed
--    quota: a shard may grow only up to its quota, and the quotas of a group
--    always add up to its capacity, so no group can pass its capacity while
--    requests update different shards without seeing each other. A request
--    takes any shard nobody holds (SKIP LOCKED: it never waits for a shard);
--    only when none has room left does it lock all 16 in order, count, and
--    share the room that is left out again (the rebalance: exact, and rare
--    until the group is nearly full). security_groups.ip_count stays 0 here;
--    the repositories add the shards' sum.
CREATE TABLE sg_ip_shards (
  security_group_id TEXT COLLATE "C" NOT NULL REFERENCES security_groups(id) ON DELETE CASCADE,
  shard INTEGER NOT NULL,
  n INTEGER NOT NULL,
  quota INTEGER NOT NULL,
  PRIMARY KEY (security_group_id, shard)
);
INSERT INTO sg_ip_shards (security_group_id, shard, n, quota)
  SELECT id, 0, ip_count, ip_count FROM security_groups WHERE ip_count <> 0;
UPDATE security_groups SET ip_count = 0 WHERE ip_count <> 0;

-- Adds p_delta to every group in p_ids (in id order). Returns the first group an
-- increase would take past its capacity (its id and type), and then has changed
-- nothing of that group; the caller aborts the transaction.
CREATE FUNCTION eniplane_sg_adjust(p_ids TEXT[], p_delta INTEGER, p_cap_normal INTEGER, p_cap_enterprise INTEGER,
                                   OUT over_id TEXT, OUT over_type TEXT)
LANGUAGE plpgsql AS $$
DECLARE
  g RECORD;
  start INTEGER;
  picked INTEGER;
  total BIGINT;
  cap BIGINT;
  share BIGINT;
  extra BIGINT;
BEGIN
  IF p_delta = 0 THEN RETURN; END IF;
  FOR g IN SELECT id, type FROM security_groups WHERE id = ANY(p_ids) ORDER BY id LOOP
    -- Fast: one shard with room that no one holds, from a random start.
    start := floor(random() * 16)::INTEGER;
    SELECT shard INTO picked FROM sg_ip_shards
      WHERE security_group_id = g.id AND (p_delta < 0 OR n + p_delta <= quota)
      ORDER BY (shard + 16 - start) % 16 LIMIT 1 FOR UPDATE SKIP LOCKED;
    IF FOUND THEN
      -- A decrease may take a shard below zero: n <= quota still holds, so do the sums.
      UPDATE sg_ip_shards SET n = n + p_delta WHERE security_group_id = g.id AND shard = picked;
      CONTINUE;
    END IF;
    -- Slow (the group's first count, every shard held or out of room): lock all
    -- 16 in shard order — every rebalancer takes them in that order, the fast
    -- path never waits — then count exactly and share the room left.
    INSERT INTO sg_ip_shards (security_group_id, shard, n, quota)
      SELECT g.id, s, 0, 0 FROM generate_series(0, 15) s ON CONFLICT DO NOTHING;
    PERFORM 1 FROM sg_ip_shards WHERE security_group_id = g.id ORDER BY shard FOR UPDATE;
    SELECT COALESCE(SUM(n), 0) INTO total FROM sg_ip_shards WHERE security_group_id = g.id;
    cap := CASE WHEN g.type = 'enterprise' THEN p_cap_enterprise ELSE p_cap_normal END;
    IF p_delta > 0 AND total + p_delta > cap THEN
      over_id := g.id;
      over_type := g.type;
      RETURN;
    END IF;
    total := total + p_delta;
    share := GREATEST(cap - total, 0) / 16;
    extra := GREATEST(cap - total, 0) % 16;
    UPDATE sg_ip_shards
      SET n = CASE WHEN shard = 0 THEN total ELSE 0 END,
          quota = CASE WHEN shard = 0 THEN total + share + extra ELSE share END
      WHERE security_group_id = g.id;
  END LOOP;
END;
$$;

-- 2. Address locks: every change of an address row first takes a transaction
--    advisory lock on (vSwitch, address); the one-call functions below only
--    ever try it. An uncommitted insert or delete of an address is therefore
--    always covered by a lock the others cannot get, so an automatic pick skips
--    that candidate instead of waiting on the row (the waits that deadlocked
--    against the security-group counter). A key is (1701734764, hashtext(vSwitch
--    '/' address)); a hash collision only makes a pick skip a free candidate.
CREATE FUNCTION eniplane_try_address_lock(p_vswitch TEXT, p_address TEXT) RETURNS BOOLEAN
LANGUAGE sql VOLATILE AS $$ SELECT pg_try_advisory_xact_lock(1701734764, hashtext(p_vswitch || '/' || p_address)) $$;

-- The general path (several statements per transaction: CreateNetworkInterface,
-- DeleteNetworkInterface, the fallbacks) waits for a busy address lock, but at
-- most 100 ms: past that, SQLSTATE 55P03 aborts the transaction and the store
-- runs it again. A wait cycle through it is broken long before PostgreSQL's
-- deadlock_timeout; the one-call functions below never wait for one at all.
CREATE FUNCTION eniplane_address_lock(p_vswitch TEXT, p_address TEXT) RETURNS BOOLEAN
LANGUAGE plpgsql AS $$
DECLARE
  before TEXT;
BEGIN
  IF eniplane_try_address_lock(p_vswitch, p_address) THEN RETURN TRUE; END IF;
  before := current_setting('lock_timeout');
  PERFORM set_config('lock_timeout', '100ms', TRUE);
  PERFORM pg_advisory_xact_lock(1701734764, hashtext(p_vswitch || '/' || p_address));
  PERFORM set_config('lock_timeout', before, TRUE);
  RETURN TRUE;
END;
$$;

-- 3. The assign and unassign of one request, with its signature nonce, in one
--    call (one statement, its own transaction): no lock outlives the call. They
--    only ever succeed, or raise SQLSTATE ENI01 ("take the general path": the
--    general path in src/service then gives the exact Alibaba error, settles a
--    due transition, ...) or ENI02 (every candidate address was taken: refresh
--    the free-space hint). Both roll the whole call back.
--    p_type_caps: {"instance type": [IPv4 cap, IPv6 cap]} for an ENI on an
--    instance (NULL: no cap wanted, as for an unassign).
CREATE FUNCTION eniplane_eni_for_change(p_account TEXT, p_region TEXT, p_eni TEXT, p_family INTEGER,
                                        p_available_cap INTEGER, p_type_caps JSONB,
                                        p_nonce_key BIGINT, p_nonce_expires BIGINT,
                                        OUT vswitch_id TEXT, OUT cap INTEGER)
LANGUAGE plpgsql AS $$
DECLARE
  e RECORD;
  i RECORD;
  bound TEXT;
BEGIN
  IF p_nonce_key IS NOT NULL THEN
    INSERT INTO nonces (key, expires_ms) VALUES (p_nonce_key, p_nonce_expires) ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN RAISE EXCEPTION 'nonce seen before' USING ERRCODE = 'ENI01'; END IF;
  END IF;
  SELECT x.region_id, x.vswitch_id, x.type, x.status, x.instance_id, x.pending_instance_id, x.transition_due_ms
    INTO e FROM enis x WHERE x.id = p_eni AND x.account_id = p_account FOR UPDATE;
  IF NOT FOUND OR e.region_id <> p_region OR e.transition_due_ms IS NOT NULL OR e.status NOT IN ('Available', 'InUse') THEN
    RAISE EXCEPTION 'ENI not changeable here' USING ERRCODE = 'ENI01';
  END IF;
  vswitch_id := e.vswitch_id;
  cap := p_available_cap;
  bound := COALESCE(e.instance_id, e.pending_instance_id);
  IF bound IS NOT NULL THEN
    SELECT x.status, x.instance_type, x.transition_due_ms INTO i FROM instances x WHERE x.id = bound AND x.account_id = p_account;
    IF FOUND THEN
      IF i.transition_due_ms IS NOT NULL OR (e.type = 'Primary' AND i.status NOT IN ('Running', 'Stopped')) THEN
        RAISE EXCEPTION 'instance not settled' USING ERRCODE = 'ENI01';
      END IF;
      IF e.status <> 'Available' AND p_type_caps IS NOT NULL THEN
        cap := (p_type_caps -> i.instance_type ->> (CASE WHEN p_family = 4 THEN 0 ELSE 1 END))::INTEGER;
        IF cap IS NULL THEN RAISE EXCEPTION 'unknown instance type' USING ERRCODE = 'ENI01'; END IF;
      END IF;
    END IF;
  END IF;
END;
$$;

-- p_vswitch: the vSwitch the candidates were picked in (the caller's hint of the ENI's).
CREATE FUNCTION eniplane_assign_addresses(p_account TEXT, p_region TEXT, p_eni TEXT, p_vswitch TEXT, p_family INTEGER, p_count INTEGER,
                                          p_candidates TEXT[], p_nums BIGINT[], p_seq BIGINT,
                                          p_available_cap INTEGER, p_type_caps JSONB, p_sg_cap_normal INTEGER, p_sg_cap_enterprise INTEGER,
                                          p_nonce_key BIGINT, p_nonce_expires BIGINT)
RETURNS TEXT[]
LANGUAGE plpgsql AS $$
DECLARE
  target RECORD;
  current INTEGER;
  got TEXT[] := '{}';
  k INTEGER;
  sgs TEXT[];
  over RECORD;
BEGIN
  SELECT * INTO target FROM eniplane_eni_for_change(p_account, p_region, p_eni, p_family, p_available_cap, p_type_caps, p_nonce_key, p_nonce_expires);
  IF target.vswitch_id <> p_vswitch THEN RAISE EXCEPTION 'ENI in another vSwitch' USING ERRCODE = 'ENI01'; END IF;
  SELECT COUNT(*) INTO current FROM private_ips WHERE eni_id = p_eni AND family = p_family;
  IF current + p_count > target.cap THEN RAISE EXCEPTION 'ENI address limit' USING ERRCODE = 'ENI01'; END IF;
  FOR k IN 1 .. COALESCE(array_length(p_candidates, 1), 0) LOOP
    EXIT WHEN cardinality(got) >= p_count;
    CONTINUE WHEN NOT eniplane_try_address_lock(target.vswitch_id, p_candidates[k]);
    INSERT INTO private_ips (vswitch_id, address, family, ipv4_num, eni_id, is_primary, seq)
      VALUES (target.vswitch_id, p_candidates[k], p_family, p_nums[k], p_eni, 0, p_seq + k)
      ON CONFLICT DO NOTHING;
    IF FOUND THEN got := got || p_candidates[k]; END IF;
  END LOOP;
  IF cardinality(got) < p_count THEN RAISE EXCEPTION 'candidates taken' USING ERRCODE = 'ENI02'; END IF;
  SELECT array_agg(security_group_id ORDER BY security_group_id) INTO sgs FROM eni_security_groups WHERE eni_id = p_eni;
  SELECT * INTO over FROM eniplane_sg_adjust(sgs, p_count, p_sg_cap_normal, p_sg_cap_enterprise);
  IF over.over_id IS NOT NULL THEN RAISE EXCEPTION 'security group full' USING ERRCODE = 'ENI01'; END IF;
  RETURN got;
END;
$$;

-- p_addresses: canonical, distinct (the service checks). Returns the ENI's vSwitch.
CREATE FUNCTION eniplane_unassign_addresses(p_account TEXT, p_region TEXT, p_eni TEXT, p_family INTEGER, p_addresses TEXT[],
                                            p_nonce_key BIGINT, p_nonce_expires BIGINT)
RETURNS TEXT
LANGUAGE plpgsql AS $$
DECLARE
  target RECORD;
  held INTEGER;
  sgs TEXT[];
BEGIN
  SELECT * INTO target FROM eniplane_eni_for_change(p_account, p_region, p_eni, p_family, 0, NULL, p_nonce_key, p_nonce_expires);
  SELECT COUNT(*) INTO held FROM private_ips
    WHERE eni_id = p_eni AND family = p_family AND is_primary = 0 AND address = ANY(p_addresses);
  IF held <> cardinality(p_addresses) THEN RAISE EXCEPTION 'not all assigned' USING ERRCODE = 'ENI01'; END IF;
  IF EXISTS (SELECT 1 FROM unnest(p_addresses) a WHERE NOT eniplane_try_address_lock(target.vswitch_id, a)) THEN
    RAISE EXCEPTION 'address busy' USING ERRCODE = 'ENI01';
  END IF;
  DELETE FROM private_ips WHERE eni_id = p_eni AND address = ANY(p_addresses);
  SELECT array_agg(security_group_id ORDER BY security_group_id) INTO sgs FROM eni_security_groups WHERE eni_id = p_eni;
  PERFORM eniplane_sg_adjust(sgs, -held, 0, 0);
  RETURN target.vswitch_id;
END;
$$;
