-- IP prefixes count in their ENI's security groups, one each (SQLite's
-- 019-prefixes-in-security-groups.sql says why). Prefixes assigned before this
-- were not counted: add them to each group's shards (007). The capacity is a
-- server setting this migration does not know, so the room left is not shared
-- out here: shard 0 takes the whole count with no room, the others none, and
-- the group's next increase finds no shard with room, takes the slow path,
-- checks the exact total against the capacity and shares the room again.
WITH held AS (
  SELECT m.security_group_id AS id, COUNT(*)::INTEGER AS k
  FROM ip_prefixes p JOIN eni_security_groups m ON m.eni_id = p.eni_id
  GROUP BY m.security_group_id
), totals AS (
  SELECT h.id, h.k + COALESCE((SELECT SUM(n) FROM sg_ip_shards s WHERE s.security_group_id = h.id), 0)::INTEGER AS total
  FROM held h
)
INSERT INTO sg_ip_shards (security_group_id, shard, n, quota)
  SELECT t.id, s, CASE WHEN s = 0 THEN t.total ELSE 0 END, CASE WHEN s = 0 THEN t.total ELSE 0 END
  FROM totals t CROSS JOIN generate_series(0, 15) s
ON CONFLICT (security_group_id, shard) DO UPDATE SET n = EXCLUDED.n, quota = EXCLUDED.quota;
