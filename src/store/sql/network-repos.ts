// VPCs, vSwitches and security groups.
import type { Tx } from '../store.ts';
import type { SqlDriver } from './driver.ts';
import { forUpdate, placeholders } from './driver.ts';
import { pagedSelect, Where } from './query.ts';
import { toSecurityGroup, toVpc, toVSwitch, type SecurityGroupRow, type VpcRow, type VSwitchRow } from './rows.ts';
import type { NetworkFilter } from '../store.ts';
import type { SecurityGroup } from '../../domain/model.ts';
import { whereTaggedPlanned } from './tag-repo.ts';

function networkWhere(accountId: string, f: NetworkFilter, nameColumn: string): Where {
  return new Where()
    .eq('account_id', accountId)
    .eq('region_id', f.regionId)
    .in('id', f.ids)
    .eq('vpc_id', f.vpcId)
    .eq('zone_id', f.zoneId)
    .eq(nameColumn, f.name)
    .eq('resource_group_id', f.resourceGroupId);
}

/** A filter on one table's own column, part of the query so TotalCount and pages are exact. */
function ipv6Where(w: Where, enabled: boolean | undefined): Where {
  return enabled === undefined ? w : w.add(enabled ? 'ipv6_cidr_block IS NOT NULL' : 'ipv6_cidr_block IS NULL');
}

/** Groups as domain objects; on PostgreSQL their IP count is the sum of their shards (migration 007). */
async function withShardCounts(d: SqlDriver, rows: SecurityGroupRow[]): Promise<SecurityGroup[]> {
  if (d.dialect !== 'postgres' || rows.length === 0) return rows.map(toSecurityGroup);
  const sums = await d.all<{ id: string; n: number | string }>(
    `SELECT security_group_id AS id, SUM(n) AS n FROM sg_ip_shards WHERE security_group_id IN (${placeholders(rows.length)}) GROUP BY security_group_id`,
    rows.map((r) => r.id),
  );
  const byId = new Map(sums.map((x) => [x.id, Number(x.n)]));
  return rows.map((r) => toSecurityGroup({ ...r, ip_count: Number(r.ip_count) + (byId.get(r.id) ?? 0) }));
}

export function networkRepos(d: SqlDriver): Pick<Tx, 'vpcs' | 'vSwitches' | 'securityGroups'> {
  return {
    vpcs: {
      async insert(v) {
        await d.run(
          'INSERT INTO vpcs (id, account_id, region_id, resource_group_id, name, description, cidr_block, ipv6_cidr_block, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [v.id, v.accountId, v.regionId, v.resourceGroupId, v.name, v.description, v.cidrBlock, v.ipv6CidrBlock, v.status, v.createdAt],
        );
      },
      async get(accountId, id, opts) {
        const r = await d.get<VpcRow>(`SELECT * FROM vpcs WHERE account_id = ? AND id = ?${opts?.forUpdate ? forUpdate(d) : ''}`, [
          accountId,
          id,
        ]);
        return r && toVpc(r);
      },
      async list(accountId, f, p) {
        const w = new Where()
          .eq('account_id', accountId)
          .eq('region_id', f.regionId)
          .in('id', f.ids)
          .eq('name', f.name)
          .eq('resource_group_id', f.resourceGroupId);
        await whereTaggedPlanned(d, 'vpcs', w, { accountId, regionId: f.regionId, resourceType: 'vpc' }, f.tags);
        return pagedSelect<VpcRow, ReturnType<typeof toVpc>>(d, 'vpcs', w, p, (rows) => rows.map(toVpc));
      },
      async delete(accountId, id) {
        await d.run('DELETE FROM tags WHERE resource_id = ? AND account_id = ?', [id, accountId]);
        await d.run('DELETE FROM vpcs WHERE account_id = ? AND id = ?', [accountId, id]);
      },
      async rename(accountId, id, name, description) {
        await d.run('UPDATE vpcs SET name = ?, description = ? WHERE account_id = ? AND id = ?', [name, description, accountId, id]);
      },
      async dependents(accountId, id) {
        const v = await d.get<{ n: number | string }>('SELECT COUNT(*) AS n FROM vswitches WHERE account_id = ? AND vpc_id = ?', [
          accountId,
          id,
        ]);
        const s = await d.get<{ n: number | string }>('SELECT COUNT(*) AS n FROM security_groups WHERE account_id = ? AND vpc_id = ?', [
          accountId,
          id,
        ]);
        return { vSwitches: Number(v?.n ?? 0), securityGroups: Number(s?.n ?? 0) };
      },
    },
    vSwitches: {
      async insert(v) {
        await d.run(
          'INSERT INTO vswitches (id, account_id, region_id, vpc_id, zone_id, resource_group_id, name, description, cidr_block, ipv6_cidr_block, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [
            v.id,
            v.accountId,
            v.regionId,
            v.vpcId,
            v.zoneId,
            v.resourceGroupId,
            v.name,
            v.description,
            v.cidrBlock,
            v.ipv6CidrBlock,
            v.status,
            v.createdAt,
          ],
        );
      },
      async get(accountId, id) {
        const r = await d.get<VSwitchRow>('SELECT * FROM vswitches WHERE account_id = ? AND id = ?', [accountId, id]);
        return r && toVSwitch(r);
      },
      async list(accountId, f, p) {
        const w = await whereTaggedPlanned(
          d,
          'vswitches',
          ipv6Where(networkWhere(accountId, f, 'name'), f.ipv6Enabled),
          { accountId, regionId: f.regionId, resourceType: 'vswitch' },
          f.tags,
        );
        return pagedSelect<VSwitchRow, ReturnType<typeof toVSwitch>>(d, 'vswitches', w, p, (rows) => rows.map(toVSwitch));
      },
      async listByVpc(vpcId) {
        return (await d.all<VSwitchRow>('SELECT * FROM vswitches WHERE vpc_id = ? ORDER BY id', [vpcId])).map(toVSwitch);
      },
      async delete(accountId, id) {
        await d.run('DELETE FROM tags WHERE resource_id = ? AND account_id = ?', [id, accountId]);
        await d.run('DELETE FROM vswitches WHERE account_id = ? AND id = ?', [accountId, id]);
      },
      async rename(accountId, id, name, description) {
        await d.run('UPDATE vswitches SET name = ?, description = ? WHERE account_id = ? AND id = ?', [name, description, accountId, id]);
      },
      async addressCount(id, family) {
        // Through the vSwitch's ENIs (addresses are keyed by ENI; an ENI's are all in its vSwitch), one
        // key range each: as a join, PostgreSQL scanned every address (100,000: 23 ms a vSwitch, now 0.4).
        const r = await d.get<{ n: number | string | null }>(
          'SELECT SUM((SELECT COUNT(*) FROM private_ips p WHERE p.eni_id = e.id AND p.vswitch_id = e.vswitch_id AND p.family = ?)) AS n FROM enis e WHERE e.vswitch_id = ?',
          [family, id],
        );
        return Number(r?.n ?? 0);
      },
      async enis(id) {
        const r = await d.get<{ n: number | string }>('SELECT COUNT(*) AS n FROM enis WHERE vswitch_id = ?', [id]);
        return Number(r?.n ?? 0);
      },
    },
    securityGroups: {
      async insert(g) {
        await d.run(
          'INSERT INTO security_groups (id, account_id, region_id, vpc_id, resource_group_id, name, description, type, ip_count, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [g.id, g.accountId, g.regionId, g.vpcId, g.resourceGroupId, g.name, g.description, g.type, g.ipCount, g.createdAt],
        );
      },
      async get(accountId, id) {
        const r = await d.get<SecurityGroupRow>('SELECT * FROM security_groups WHERE account_id = ? AND id = ?', [accountId, id]);
        return r && (await withShardCounts(d, [r]))[0];
      },
      async list(accountId, f, p) {
        const w = await whereTaggedPlanned(
          d,
          'security_groups',
          networkWhere(accountId, f, 'name').eq('type', f.type),
          { accountId, regionId: f.regionId, resourceType: 'securitygroup' },
          f.tags,
        );
        return pagedSelect<SecurityGroupRow, ReturnType<typeof toSecurityGroup>>(d, 'security_groups', w, p, (rows) =>
          withShardCounts(d, rows),
        );
      },
      async delete(accountId, id) {
        await d.run('DELETE FROM tags WHERE resource_id = ? AND account_id = ?', [id, accountId]);
        await d.run('DELETE FROM security_groups WHERE account_id = ? AND id = ?', [accountId, id]);
      },
      async rename(accountId, id, name, description) {
        await d.run('UPDATE security_groups SET name = ?, description = ? WHERE account_id = ? AND id = ?', [
          name,
          description,
          accountId,
          id,
        ]);
      },
      async enis(id) {
        const r = await d.get<{ n: number | string }>('SELECT COUNT(*) AS n FROM eni_security_groups WHERE security_group_id = ?', [id]);
        return Number(r?.n ?? 0);
      },
      async adjustIpCount(ids, delta, capacity) {
        const sorted = [...new Set(ids)].sort();
        if (delta === 0 || sorted.length === 0) return undefined;
        if (d.dialect === 'postgres') {
          // Sharded counters with escrowed quotas, in one call (migration 007): no group row is a
          // serialisation point, and the capacity check is exact.
          const r = await d.get<{ over_id: string | null; over_type: string | null }>(
            'SELECT over_id, over_type FROM eniplane_sg_adjust(?::text[], ?, ?, ?)',
            [sorted, delta, capacity.normal, capacity.enterprise],
          );
          return r?.over_id
            ? { id: r.over_id, type: r.over_type === 'enterprise' ? ('enterprise' as const) : ('normal' as const) }
            : undefined;
        }
        for (const id of sorted) {
          // SQLite: one writer at a time, the counter in the group's row.
          if (delta <= 0) {
            await d.run('UPDATE security_groups SET ip_count = ip_count + ? WHERE id = ?', [delta, id]);
            continue;
          }
          // Only the columns the capacity rule reads: RETURNING * cost SQLite 3.0 µs, these 1.9 (every assign runs it).
          const r = await d.get<Pick<SecurityGroupRow, 'id' | 'type' | 'ip_count'>>(
            'UPDATE security_groups SET ip_count = ip_count + ? WHERE id = ? RETURNING id, type, ip_count',
            [delta, id],
          );
          if (!r) continue;
          const type = r.type === 'enterprise' ? ('enterprise' as const) : ('normal' as const);
          if (Number(r.ip_count) > capacity[type]) return { id: r.id, type };
        }
        return undefined;
      },
    },
  };
}
