-- Group commit for the one-call assign/unassign: the one-call requests a
-- process has in flight go to PostgreSQL as ONE statement, so they share one
-- transaction and one WAL flush (store/postgres/pg-one-call.ts queues them;
-- docs/scaling.md has the figures).
--
-- eniplane_calls_v1(p_calls, p_caps) runs each element of p_calls, in order,
-- through migration 018's eniplane_assign_addresses_v2 /
-- eniplane_unassign_addresses_v2 inside a BEGIN ... EXCEPTION block of its
-- own (a subtransaction): an element that fails is rolled back alone, the
-- others stay. It answers one entry per element, in order:
--   {"a": [addresses]}   an assign done,
--   {"v": vSwitch|null}  an unassign done (null: a ClientToken's stored result),
--   "general"            ENI01, or a conflict the general path re-runs
--                        (deadlock, serialization failure, unique or foreign key
--                        violation, a lock not available): take the general path,
--   "taken"              ENI02: every candidate of an automatic pick was taken.
-- Elements run one after the other in one transaction, so two elements on one
-- ENI or one vSwitch see each other exactly as two requests run in turn.
--
-- p_calls: a JSON array, each element a positional array
--   ["a", account, region, eni, vswitch, family, count, [candidates], [nums]|null, seq, named,
--    available cap, caps index, sg cap normal, sg cap enterprise, nonce key (text)|null, nonce expires,
--    action, token, params hash, now]
--   ["u", account, region, eni, family, [addresses], nonce key (text)|null, nonce expires,
--    action, token, params hash, now]
-- p_caps: a JSON array of type-cap objects ({"instance type": [IPv4 cap, IPv6 cap]}), which an
-- assign names by index (one per process, sent once per batch, not once per element).
--
-- Waits, and why no wait cycle runs through a batch:
-- - ENI rows: each element first locks its ENI row (FOR UPDATE), waiting as
--   long as it takes (the session's lock_timeout). The sender orders each batch
--   by ENI id, so every batch takes its ENI rows in ascending order; a batch
--   waits indefinitely only for an ENI row above every one it holds.
-- - Everything else an element may wait for is bounded by lock_timeout 5 ms
--   and then answers "general" (55P03), never waiting behind an ENI row: a
--   twin's uncommitted nonce, ClientToken or address row (ON CONFLICT DO
--   NOTHING waits for the inserting transaction), the security-group shards'
--   slow path (all 16 locked in order when no shard has room, 007), its shard
--   row inserts. Address locks are only ever tried (007), security-group shards
--   on the fast path taken SKIP LOCKED: neither waits.
--   So among one-call work (batches of any process) a cycle would need an
--   unbounded wait other than an ascending ENI row: there is none.
-- - A general-path transaction (several statements, row locks across round
--   trips) can still close a cycle with a batch (it holds an ENI row and waits
--   for a shard's slow path, say): PostgreSQL's deadlock detector breaks it,
--   and when the victim is a batch element, its EXCEPTION block catches 40P01:
--   that element answers "general", the rest of the batch goes on.
-- - A subtransaction that wrote takes a subtransaction id; past 64 in one
--   transaction PostgreSQL's snapshots overflow their subtransaction cache, so
--   the sender caps a batch at 32 elements (the v2 functions have no EXCEPTION
--   blocks of their own).
CREATE FUNCTION eniplane_calls_v1(p_calls JSONB, p_caps JSONB) RETURNS JSONB
LANGUAGE plpgsql AS $$
DECLARE
  c JSONB;
  r JSONB;
  answers JSONB[] := '{}';
  wait_default TEXT := current_setting('lock_timeout');
  k INTEGER;
BEGIN
  FOR k IN 0 .. jsonb_array_length(p_calls) - 1 LOOP
    c := p_calls -> k;
    BEGIN
      PERFORM set_config('lock_timeout', wait_default, TRUE);
      PERFORM 1 FROM enis WHERE id = c ->> 3 AND account_id = c ->> 1 FOR UPDATE;
      PERFORM set_config('lock_timeout', '5ms', TRUE);
      IF c ->> 0 = 'a' THEN
        r := jsonb_build_object('a', to_jsonb(eniplane_assign_addresses_v2(
          c ->> 1, c ->> 2, c ->> 3, c ->> 4, (c ->> 5)::INTEGER, (c ->> 6)::INTEGER,
          ARRAY(SELECT jsonb_array_elements_text(c -> 7)),
          CASE WHEN jsonb_typeof(c -> 8) = 'array' THEN ARRAY(SELECT jsonb_array_elements_text(c -> 8)::BIGINT) END,
          (c ->> 9)::BIGINT, (c ->> 10)::BOOLEAN,
          (c ->> 11)::INTEGER, p_caps -> ((c ->> 12)::INTEGER), (c ->> 13)::INTEGER, (c ->> 14)::INTEGER,
          (c ->> 15)::BIGINT, (c ->> 16)::BIGINT,
          c ->> 17, c ->> 18, c ->> 19, (c ->> 20)::BIGINT)));
      ELSE
        r := jsonb_build_object('v', eniplane_unassign_addresses_v2(
          c ->> 1, c ->> 2, c ->> 3, (c ->> 4)::INTEGER,
          ARRAY(SELECT jsonb_array_elements_text(c -> 5)),
          (c ->> 6)::BIGINT, (c ->> 7)::BIGINT,
          c ->> 8, c ->> 9, c ->> 10, (c ->> 11)::BIGINT));
      END IF;
    EXCEPTION
      WHEN SQLSTATE 'ENI02' THEN r := '"taken"';
      WHEN SQLSTATE 'ENI01' OR deadlock_detected OR serialization_failure OR unique_violation
        OR foreign_key_violation OR lock_not_available THEN r := '"general"';
    END;
    answers := answers || r;
  END LOOP;
  PERFORM set_config('lock_timeout', wait_default, TRUE);
  RETURN to_jsonb(answers);
END;
$$;
