-- One round trip for every successful assign and unassign, and a settler that
-- costs nothing while nothing is due (docs/scaling.md has the figures).
--
-- 1. eniplane_assign_addresses_v2 / eniplane_unassign_addresses_v2: migration
--    007's functions (kept as they are, for processes of the previous build
--    during a rollout) plus
--    - named addresses (PrivateIpAddress.N / Ipv6Address.N, p_named): every
--      candidate must go in; a busy or taken one raises ENI01, and the general
--      path answers (AddressInUse after its own wait and re-read);
--    - IPv6 (p_family 6, p_nums NULL): the process draws the candidates in the
--      vSwitch's /64, the unique index is the collision check, as on the
--      general path;
--    - a ClientToken (p_token): after the nonce, a stored result for (account,
--      action, token) with the same parameters' hash is the answer (nothing
--      else is checked, as on the general path); another hash raises ENI01
--      (the general path answers IdempotentParameterMismatch). On success the
--      result is stored as the general path stores it (JSON.stringify of
--      {eniId, addresses, prefixes: []}, or true for an unassign); a twin that stored first
--      raises ENI01, and the general path replays the twin's result.
--    As 013's version of the first, an ENI's IP prefixes count against its cap
--    (an address insert inside a prefix is skipped by 013's trigger: for a
--    named address, ENI01). Requests with prefixes take the general path.
--    Success only where the general path succeeds the same way; anything else
--    raises ENI01 (take the general path) or ENI02 (every candidate of an
--    automatic pick was taken), and the whole call is rolled back.

-- The stored result of a ClientToken with the same parameters, NULL when none; ENI01 when the parameters differ.
CREATE FUNCTION eniplane_client_token_seen(p_account TEXT, p_action TEXT, p_token TEXT, p_params_hash TEXT) RETURNS TEXT
LANGUAGE plpgsql AS $$
DECLARE
  s RECORD;
BEGIN
  SELECT params_hash, result INTO s FROM idempotency WHERE account_id = p_account AND action = p_action AND token = p_token;
  IF NOT FOUND THEN RETURN NULL; END IF;
  IF s.params_hash <> p_params_hash THEN RAISE EXCEPTION 'ClientToken with other parameters' USING ERRCODE = 'ENI01'; END IF;
  RETURN s.result;
END;
$$;

CREATE FUNCTION eniplane_client_token_store(p_account TEXT, p_action TEXT, p_token TEXT, p_params_hash TEXT, p_result TEXT, p_now BIGINT)
RETURNS VOID
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO idempotency (account_id, action, token, params_hash, result, created_ms)
    VALUES (p_account, p_action, p_token, p_params_hash, p_result, p_now) ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN RAISE EXCEPTION 'ClientToken stored by a twin' USING ERRCODE = 'ENI01'; END IF;
END;
$$;

CREATE FUNCTION eniplane_assign_addresses_v2(p_account TEXT, p_region TEXT, p_eni TEXT, p_vswitch TEXT, p_family INTEGER, p_count INTEGER,
                                             p_candidates TEXT[], p_nums BIGINT[], p_seq BIGINT, p_named BOOLEAN,
                                             p_available_cap INTEGER, p_type_caps JSONB, p_sg_cap_normal INTEGER, p_sg_cap_enterprise INTEGER,
                                             p_nonce_key BIGINT, p_nonce_expires BIGINT,
                                             p_action TEXT, p_token TEXT, p_params_hash TEXT, p_now BIGINT)
RETURNS TEXT[]
LANGUAGE plpgsql AS $$
DECLARE
  target RECORD;
  current INTEGER;
  got TEXT[] := '{}';
  k INTEGER;
  sgs TEXT[];
  over RECORD;
  nonce_key BIGINT := p_nonce_key;
  seen TEXT;
BEGIN
  IF p_token IS NOT NULL THEN
    -- The general path records the nonce first, then looks the token up.
    IF nonce_key IS NOT NULL THEN
      INSERT INTO nonces (key, expires_ms) VALUES (nonce_key, p_nonce_expires) ON CONFLICT DO NOTHING;
      IF NOT FOUND THEN RAISE EXCEPTION 'nonce seen before' USING ERRCODE = 'ENI01'; END IF;
      nonce_key := NULL;
    END IF;
    seen := eniplane_client_token_seen(p_account, p_action, p_token, p_params_hash);
    IF seen IS NOT NULL THEN
      RETURN ARRAY(SELECT jsonb_array_elements_text(seen::jsonb -> 'addresses'));
    END IF;
  END IF;
  SELECT * INTO target FROM eniplane_eni_for_change(p_account, p_region, p_eni, p_family, p_available_cap, p_type_caps, nonce_key, p_nonce_expires);
  IF target.vswitch_id <> p_vswitch THEN RAISE EXCEPTION 'ENI in another vSwitch' USING ERRCODE = 'ENI01'; END IF;
  SELECT COUNT(*) INTO current FROM private_ips WHERE eni_id = p_eni AND family = p_family;
  -- each IP prefix counts as one address against the cap (013)
  current := current + (SELECT COUNT(*) FROM ip_prefixes WHERE eni_id = p_eni AND family = p_family);
  IF current + p_count > target.cap THEN RAISE EXCEPTION 'ENI address limit' USING ERRCODE = 'ENI01'; END IF;
  FOR k IN 1 .. COALESCE(array_length(p_candidates, 1), 0) LOOP
    EXIT WHEN cardinality(got) >= p_count;
    IF NOT eniplane_try_address_lock(target.vswitch_id, p_candidates[k]) THEN
      IF p_named THEN RAISE EXCEPTION 'named address busy' USING ERRCODE = 'ENI01'; END IF;
      CONTINUE;
    END IF;
    INSERT INTO private_ips (vswitch_id, address, family, ipv4_num, eni_id, is_primary, seq)
      VALUES (target.vswitch_id, p_candidates[k], p_family, p_nums[k], p_eni, 0, p_seq + k)
      ON CONFLICT DO NOTHING;
    IF FOUND THEN
      got := got || p_candidates[k];
    ELSIF p_named THEN
      RAISE EXCEPTION 'named address taken' USING ERRCODE = 'ENI01';
    END IF;
  END LOOP;
  IF cardinality(got) < p_count THEN RAISE EXCEPTION 'candidates taken' USING ERRCODE = 'ENI02'; END IF;
  SELECT array_agg(security_group_id ORDER BY security_group_id) INTO sgs FROM eni_security_groups WHERE eni_id = p_eni;
  SELECT * INTO over FROM eniplane_sg_adjust(sgs, p_count, p_sg_cap_normal, p_sg_cap_enterprise);
  IF over.over_id IS NOT NULL THEN RAISE EXCEPTION 'security group full' USING ERRCODE = 'ENI01'; END IF;
  IF p_token IS NOT NULL THEN
    -- JSON.stringify({ eniId, addresses, prefixes: [] }), as the general path stores it.
    PERFORM eniplane_client_token_store(p_account, p_action, p_token, p_params_hash,
      '{"eniId":' || to_json(p_eni)::text || ',"addresses":' || array_to_json(got)::text || ',"prefixes":[]}', p_now);
  END IF;
  RETURN got;
END;
$$;

-- Returns the ENI's vSwitch, or NULL when a ClientToken's stored result was the answer (nothing changed).
CREATE FUNCTION eniplane_unassign_addresses_v2(p_account TEXT, p_region TEXT, p_eni TEXT, p_family INTEGER, p_addresses TEXT[],
                                               p_nonce_key BIGINT, p_nonce_expires BIGINT,
                                               p_action TEXT, p_token TEXT, p_params_hash TEXT, p_now BIGINT)
RETURNS TEXT
LANGUAGE plpgsql AS $$
DECLARE
  target RECORD;
  held INTEGER;
  sgs TEXT[];
  nonce_key BIGINT := p_nonce_key;
BEGIN
  IF p_token IS NOT NULL THEN
    IF nonce_key IS NOT NULL THEN
      INSERT INTO nonces (key, expires_ms) VALUES (nonce_key, p_nonce_expires) ON CONFLICT DO NOTHING;
      IF NOT FOUND THEN RAISE EXCEPTION 'nonce seen before' USING ERRCODE = 'ENI01'; END IF;
      nonce_key := NULL;
    END IF;
    IF eniplane_client_token_seen(p_account, p_action, p_token, p_params_hash) IS NOT NULL THEN RETURN NULL; END IF;
  END IF;
  SELECT * INTO target FROM eniplane_eni_for_change(p_account, p_region, p_eni, p_family, 0, NULL, nonce_key, p_nonce_expires);
  SELECT COUNT(*) INTO held FROM private_ips
    WHERE eni_id = p_eni AND family = p_family AND is_primary = 0 AND address = ANY(p_addresses);
  IF held <> cardinality(p_addresses) THEN RAISE EXCEPTION 'not all assigned' USING ERRCODE = 'ENI01'; END IF;
  IF EXISTS (SELECT 1 FROM unnest(p_addresses) a WHERE NOT eniplane_try_address_lock(target.vswitch_id, a)) THEN
    RAISE EXCEPTION 'address busy' USING ERRCODE = 'ENI01';
  END IF;
  DELETE FROM private_ips WHERE eni_id = p_eni AND address = ANY(p_addresses);
  SELECT array_agg(security_group_id ORDER BY security_group_id) INTO sgs FROM eni_security_groups WHERE eni_id = p_eni;
  PERFORM eniplane_sg_adjust(sgs, -held, 0, 0);
  IF p_token IS NOT NULL THEN
    PERFORM eniplane_client_token_store(p_account, p_action, p_token, p_params_hash, 'true', p_now);
  END IF;
  RETURN target.vswitch_id;
END;
$$;

-- 2. Transitions announce themselves: a row getting a due time notifies
--    channel eniplane_due with "schema due_ms" when its transaction commits,
--    so every server's settler learns of a transition another server started
--    without polling for it (store/postgres/pg-due-watch.ts). The payload names
--    the schema: several schemas in one database share the channel.
CREATE FUNCTION eniplane_notify_due() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.transition_due_ms IS NOT NULL AND (TG_OP = 'INSERT' OR OLD.transition_due_ms IS DISTINCT FROM NEW.transition_due_ms) THEN
    PERFORM pg_notify('eniplane_due', current_schema() || ' ' || NEW.transition_due_ms::text);
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER enis_notify_due AFTER INSERT OR UPDATE OF transition_due_ms ON enis
  FOR EACH ROW EXECUTE FUNCTION eniplane_notify_due();
CREATE TRIGGER instances_notify_due AFTER INSERT OR UPDATE OF transition_due_ms ON instances
  FOR EACH ROW EXECUTE FUNCTION eniplane_notify_due();
