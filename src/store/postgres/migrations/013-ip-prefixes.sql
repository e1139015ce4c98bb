-- IP prefixes, as on SQLite (013-ip-prefixes.sql says why), and what makes
-- them safe between servers sharing this database:
--
-- 1. An IPv4 prefix is inserted only under the address locks (007) of its 16
--    addresses, taken in address order, and only after a check that none of
--    them is a row; an address row is inserted only under its own lock, and the
--    trigger below skips it when a committed prefix covers it. Whichever takes
--    an address lock first wins; the other sees it once the lock is free.
-- 2. IPv6: a /80 holds 2^48 addresses, too many to lock one by one. A prefix
--    insert takes an exclusive advisory lock on (vSwitch, /80); an IPv6
--    address insert takes the same lock shared (in the trigger) before it
--    looks for a prefix over it. Same reasoning, one lock per block.
-- The trigger's queries run in a volatile function: each sees what committed
-- before it ran, even when the INSERT that fired it started earlier.
CREATE TABLE ip_prefixes (
  eni_id TEXT COLLATE "C" NOT NULL REFERENCES enis(id) ON DELETE CASCADE,
  vswitch_id TEXT COLLATE "C" NOT NULL,
  family INTEGER NOT NULL,
  prefix TEXT COLLATE "C" NOT NULL,
  ipv4_first BIGINT,
  seq BIGINT NOT NULL,
  PRIMARY KEY (eni_id, prefix)
);
CREATE UNIQUE INDEX ip_prefixes_in_vswitch ON ip_prefixes(vswitch_id, prefix);
CREATE INDEX ip_prefixes_ipv4 ON ip_prefixes(vswitch_id, ipv4_first) WHERE ipv4_first IS NOT NULL;

-- The /80 lock of an IPv6 address or prefix (any spelling): its own key space, beside 007's.
CREATE FUNCTION eniplane_ipv6_block_key(p_vswitch TEXT, p_address TEXT) RETURNS INTEGER
LANGUAGE sql IMMUTABLE AS $$ SELECT hashtext(p_vswitch || '/' || host(network(set_masklen(p_address::inet, 80)))) $$;

CREATE FUNCTION eniplane_address_outside_prefixes() RETURNS TRIGGER
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  IF NEW.family = 4 THEN
    IF EXISTS (SELECT 1 FROM ip_prefixes WHERE vswitch_id = NEW.vswitch_id AND ipv4_first = NEW.ipv4_num - NEW.ipv4_num % 16) THEN
      RETURN NULL;
    END IF;
  ELSE
    PERFORM pg_advisory_xact_lock_shared(1701734765, eniplane_ipv6_block_key(NEW.vswitch_id, NEW.address));
    IF EXISTS (SELECT 1 FROM ip_prefixes WHERE vswitch_id = NEW.vswitch_id AND family = 6 AND prefix::cidr >>= NEW.address::inet) THEN
      RETURN NULL;
    END IF;
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER private_ips_outside_prefixes BEFORE INSERT ON private_ips
  FOR EACH ROW EXECUTE FUNCTION eniplane_address_outside_prefixes();

-- The one-call assign (007) counts the ENI's prefixes against its cap too: each prefix is one address.
-- p_vswitch: the vSwitch the candidates were picked in (the caller's hint of the ENI's).
CREATE OR REPLACE FUNCTION eniplane_assign_addresses(p_account TEXT, p_region TEXT, p_eni TEXT, p_vswitch TEXT, p_family INTEGER, p_count INTEGER,
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
  current := current + (SELECT COUNT(*) FROM ip_prefixes WHERE eni_id = p_eni AND family = p_family);
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

