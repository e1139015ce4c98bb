-- Addresses keyed by their ENI, as on SQLite (005-private-ips-by-eni.sql says
-- why): the key (eni_id, address), a unique (address, vswitch_id) index for
-- the per-vSwitch uniqueness and the lookups by address; the two old indexes go.
ALTER TABLE private_ips DROP CONSTRAINT private_ips_pkey;
ALTER TABLE private_ips ADD PRIMARY KEY (eni_id, address);
CREATE UNIQUE INDEX private_ips_address_vswitch ON private_ips(address, vswitch_id);
DROP INDEX private_ips_eni;
DROP INDEX private_ips_address;
