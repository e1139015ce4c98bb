-- IP prefixes count in their ENI's security groups, one each (as the basic
-- security group's capacity counts "IPv4 prefixes, and IPv6 prefixes"; the IP
-- prefix page counts a prefix as one address). Prefixes assigned before this
-- were not counted: add them, so that unassigning them later leaves each
-- counter equal to what its ENIs hold.
UPDATE security_groups SET ip_count = ip_count + (
  SELECT COUNT(*) FROM ip_prefixes p JOIN eni_security_groups m ON m.eni_id = p.eni_id
  WHERE m.security_group_id = security_groups.id
)
WHERE id IN (SELECT m.security_group_id FROM eni_security_groups m JOIN ip_prefixes p ON p.eni_id = m.eni_id);
