-- The one-call assign/unassign with fewer statements per element: what a
-- batch element costs PostgreSQL is mostly plpgsql's cost per statement
-- (docs/scaling.md, "Fewer statements per element"), not the work of each. 020's
-- eniplane_calls_v1 ran an element through 018's v2 functions, which call
-- 007's helpers: an assign took 12 statements and 4 nested function calls, an
-- unassign 10. eniplane_calls_v2 runs the same rules inline in 7 and 5:
-- - the ENI row is read and locked once (v1 locked it NOWAIT, then v2 locked
--   and read it again);
-- - the ENI's addresses and IP prefixes are counted in one statement;
-- - an address lock is tried inside the INSERT (assign) or the DELETE
--   (unassign) that changes its row: the row changes only where the lock was
--   had, and a row not changed rolls the element back as before (a candidate
--   skipped, or ENI01);
-- - the ENI's security groups are read with their types in one statement, and
--   a shard with room is picked and updated in one (007's fast path); a group
--   with no free shard with room takes 007's eniplane_sg_adjust for that group
--   alone (the slow path, unchanged: groups still in id order, so its waits
--   stay in 007's one order).
-- Answers, waits and the element's subtransaction are 020's (its comment is
-- the reference), with one change: an ENI row another transaction holds is
-- found with SKIP LOCKED instead of NOWAIT, so telling "busy" from "no such
-- ENI" takes one more read only on that path; "busy" is raised as ENI03.
-- p_wait (a call run alone after "busy", or with batch_max 1): the element
-- waits for its ENI row, and the batch's 5 ms lock_timeout is not set.
-- p_calls and p_caps are as for eniplane_calls_v1. 018's and 020's functions
-- stay for processes of the previous build during a rollout.
CREATE FUNCTION eniplane_calls_v2(p_calls JSONB, p_caps JSONB, p_wait BOOLEAN) RETURNS JSONB
LANGUAGE plpgsql AS $$
DECLARE
  c JSONB;
  r JSONB;
  answers JSONB[] := '{}';
  wait_default TEXT := current_setting('lock_timeout');
  k INTEGER;
  j INTEGER;
  is_assign BOOLEAN;
  acct TEXT;
  eni TEXT;
  fam INTEGER;
  e RECORD;
  have_eni BOOLEAN;
  inst RECORD;
  bound TEXT;
  cap INTEGER;
  nonce TEXT;
  nonce_expires BIGINT;
  action TEXT;
  token TEXT;
  params_hash TEXT;
  now_ms BIGINT;
  seen TEXT;
  want INTEGER;
  named BOOLEAN;
  cands TEXT[];
  nums BIGINT[];
  got TEXT[];
  addrs TEXT[];
  changed INTEGER;
  delta INTEGER;
  start INTEGER;
  g RECORD;
  over RECORD;
BEGIN
  IF NOT p_wait THEN PERFORM set_config('lock_timeout', '5ms', TRUE); END IF;
  FOR k IN 0 .. jsonb_array_length(p_calls) - 1 LOOP
    c := p_calls -> k;
    is_assign := c ->> 0 = 'a';
    acct := c ->> 1;
    eni := c ->> 3;
    -- (plpgsql ends an IF's condition at the first THEN: no CASE in conditions below)
    IF is_assign THEN
      fam := (c ->> 5)::INTEGER;
      nonce := c ->> 15; nonce_expires := (c ->> 16)::BIGINT;
      action := c ->> 17; token := c ->> 18; params_hash := c ->> 19; now_ms := (c ->> 20)::BIGINT;
    ELSE
      fam := (c ->> 4)::INTEGER;
      nonce := c ->> 6; nonce_expires := (c ->> 7)::BIGINT;
      action := c ->> 8; token := c ->> 9; params_hash := c ->> 10; now_ms := (c ->> 11)::BIGINT;
    END IF;
    BEGIN
      IF p_wait THEN
        SELECT x.region_id, x.vswitch_id, x.type, x.status, x.instance_id, x.pending_instance_id, x.transition_due_ms
          INTO e FROM enis x WHERE x.id = eni AND x.account_id = acct FOR UPDATE;
        have_eni := FOUND;
      ELSE
        SELECT x.region_id, x.vswitch_id, x.type, x.status, x.instance_id, x.pending_instance_id, x.transition_due_ms
          INTO e FROM enis x WHERE x.id = eni AND x.account_id = acct FOR UPDATE SKIP LOCKED;
        have_eni := FOUND;
        IF NOT have_eni AND EXISTS (SELECT 1 FROM enis WHERE id = eni AND account_id = acct) THEN
          RAISE EXCEPTION 'ENI row held by another transaction' USING ERRCODE = 'ENI03';
        END IF;
      END IF;
      -- The nonce (text: JSON has no 64-bit integers), then a ClientToken's stored result, as the general path does.
      IF nonce IS NOT NULL THEN
        INSERT INTO nonces (key, expires_ms) VALUES (nonce::BIGINT, nonce_expires) ON CONFLICT DO NOTHING;
        IF NOT FOUND THEN RAISE EXCEPTION 'nonce seen before' USING ERRCODE = 'ENI01'; END IF;
      END IF;
      seen := NULL;
      IF token IS NOT NULL THEN seen := eniplane_client_token_seen(acct, action, token, params_hash); END IF;
      IF seen IS NOT NULL THEN
        r := CASE WHEN is_assign THEN jsonb_build_object('a', seen::jsonb -> 'addresses') ELSE '{"v": null}' END;
      ELSE
        -- 007's eniplane_eni_for_change
        IF NOT have_eni OR e.region_id <> c ->> 2 OR e.transition_due_ms IS NOT NULL OR e.status NOT IN ('Available', 'InUse') THEN
          RAISE EXCEPTION 'ENI not changeable here' USING ERRCODE = 'ENI01';
        END IF;
        cap := CASE WHEN is_assign THEN (c ->> 11)::INTEGER END;
        bound := COALESCE(e.instance_id, e.pending_instance_id);
        IF bound IS NOT NULL THEN
          SELECT x.status, x.instance_type, x.transition_due_ms INTO inst FROM instances x WHERE x.id = bound AND x.account_id = acct;
          IF FOUND THEN
            IF inst.transition_due_ms IS NOT NULL OR (e.type = 'Primary' AND inst.status NOT IN ('Running', 'Stopped')) THEN
              RAISE EXCEPTION 'instance not settled' USING ERRCODE = 'ENI01';
            END IF;
            IF is_assign AND e.status <> 'Available' THEN
              cap := (p_caps -> ((c ->> 12)::INTEGER) -> inst.instance_type ->> (CASE WHEN fam = 4 THEN 0 ELSE 1 END))::INTEGER;
              IF cap IS NULL THEN RAISE EXCEPTION 'unknown instance type' USING ERRCODE = 'ENI01'; END IF;
            END IF;
          END IF;
        END IF;
        IF is_assign THEN
          -- 018's eniplane_assign_addresses_v2
          IF e.vswitch_id <> c ->> 4 THEN RAISE EXCEPTION 'ENI in another vSwitch' USING ERRCODE = 'ENI01'; END IF;
          want := (c ->> 6)::INTEGER;
          -- each IP prefix counts as one address against the cap (013)
          SELECT (SELECT COUNT(*) FROM private_ips WHERE eni_id = eni AND family = fam)
               + (SELECT COUNT(*) FROM ip_prefixes WHERE eni_id = eni AND family = fam) INTO changed;
          IF changed + want > cap THEN RAISE EXCEPTION 'ENI address limit' USING ERRCODE = 'ENI01'; END IF;
          named := (c ->> 10)::BOOLEAN;
          cands := ARRAY(SELECT jsonb_array_elements_text(c -> 7));
          nums := CASE WHEN jsonb_typeof(c -> 8) = 'array' THEN ARRAY(SELECT jsonb_array_elements_text(c -> 8)::BIGINT) END;
          got := '{}';
          FOR j IN 1 .. COALESCE(array_length(cands, 1), 0) LOOP
            EXIT WHEN cardinality(got) >= want;
            -- 007's address lock (eniplane_try_address_lock), tried before the row is touched: a
            -- candidate someone else is changing is skipped, never waited for.
            INSERT INTO private_ips (vswitch_id, address, family, ipv4_num, eni_id, is_primary, seq)
              SELECT e.vswitch_id, cands[j], fam, nums[j], eni, 0, (c ->> 9)::BIGINT + j
              WHERE pg_try_advisory_xact_lock(1701734764, hashtext(e.vswitch_id || '/' || cands[j]))
              ON CONFLICT DO NOTHING;
            IF FOUND THEN
              got := got || cands[j];
            ELSIF named THEN
              RAISE EXCEPTION 'named address busy or taken' USING ERRCODE = 'ENI01';
            END IF;
          END LOOP;
          IF cardinality(got) < want THEN RAISE EXCEPTION 'candidates taken' USING ERRCODE = 'ENI02'; END IF;
          delta := want;
        ELSE
          -- 018's eniplane_unassign_addresses_v2: every address must be a secondary of the ENI, and its lock
          -- free. (The planner orders the quals: the lock may also be tried on another row of this ENI,
          -- which holds nothing up, since the ENI row is this transaction's.)
          addrs := ARRAY(SELECT jsonb_array_elements_text(c -> 5));
          DELETE FROM private_ips
            WHERE eni_id = eni AND family = fam AND is_primary = 0 AND address = ANY(addrs)
              AND pg_try_advisory_xact_lock(1701734764, hashtext(e.vswitch_id || '/' || address));
          GET DIAGNOSTICS changed = ROW_COUNT;
          IF changed <> cardinality(addrs) THEN RAISE EXCEPTION 'not all assigned, or busy' USING ERRCODE = 'ENI01'; END IF;
          delta := -changed;
        END IF;
        -- 007's eniplane_sg_adjust, its fast path inline
        FOR g IN SELECT s.id, s.type FROM eni_security_groups m JOIN security_groups s ON s.id = m.security_group_id
                   WHERE m.eni_id = eni ORDER BY s.id LOOP
          start := floor(random() * 16)::INTEGER;
          UPDATE sg_ip_shards SET n = sg_ip_shards.n + delta
            WHERE security_group_id = g.id AND shard = (
              SELECT shard FROM sg_ip_shards
                WHERE security_group_id = g.id AND (delta < 0 OR sg_ip_shards.n + delta <= quota)
                ORDER BY (shard + 16 - start) % 16 LIMIT 1 FOR UPDATE SKIP LOCKED);
          IF NOT FOUND THEN
            SELECT * INTO over FROM eniplane_sg_adjust(ARRAY[g.id], delta, (c ->> 13)::INTEGER, (c ->> 14)::INTEGER);
            IF over.over_id IS NOT NULL THEN RAISE EXCEPTION 'security group full' USING ERRCODE = 'ENI01'; END IF;
          END IF;
        END LOOP;
        IF is_assign THEN
          IF token IS NOT NULL THEN
            -- JSON.stringify({ eniId, addresses, prefixes: [] }), as the general path stores it.
            PERFORM eniplane_client_token_store(acct, action, token, params_hash,
              '{"eniId":' || to_json(eni)::text || ',"addresses":' || array_to_json(got)::text || ',"prefixes":[]}', now_ms);
          END IF;
          r := jsonb_build_object('a', to_jsonb(got));
        ELSE
          IF token IS NOT NULL THEN PERFORM eniplane_client_token_store(acct, action, token, params_hash, 'true', now_ms); END IF;
          r := jsonb_build_object('v', e.vswitch_id);
        END IF;
      END IF;
    EXCEPTION
      WHEN SQLSTATE 'ENI03' THEN r := '"busy"';
      WHEN SQLSTATE 'ENI02' THEN r := '"taken"';
      WHEN SQLSTATE 'ENI01' OR lock_not_available OR deadlock_detected OR serialization_failure OR unique_violation
        OR foreign_key_violation THEN r := '"general"';
    END;
    answers := answers || r;
  END LOOP;
  IF NOT p_wait THEN PERFORM set_config('lock_timeout', wait_default, TRUE); END IF;
  RETURN to_jsonb(answers);
END;
$$;
