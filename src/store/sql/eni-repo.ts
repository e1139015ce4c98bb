// ENIs with their addresses, security groups and tags, loaded in batches.
import type { Eni, PrivateAddress } from '../../domain/model.ts';
import type { EniFilter, Tx } from '../store.ts';
import type { SqlDriver } from './driver.ts';
import { forUpdate, forUpdateSkipLocked, placeholders } from './driver.ts';
import { pagedSelect, Where } from './query.ts';
import { toEni, type AddressSqlRow, type EniRow } from './rows.ts';

const COLUMNS = 'id, account_id, region_id, zone_id, vpc_id, vswitch_id, resource_group_id, name, description, type, status, mac_address, instance_id, pending_instance_id, transition_due_ms, device_index, delete_on_release, created_at';

async function hydrate(d: SqlDriver, rows: EniRow[]): Promise<Eni[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const ph = placeholders(ids.length);
  const addrs = await d.all<AddressSqlRow>(`SELECT eni_id, address, family, is_primary FROM private_ips WHERE eni_id IN (${ph}) ORDER BY family, is_primary DESC, seq, address`, ids);
  const sgs = await d.all<{ eni_id: string; security_group_id: string }>(`SELECT eni_id, security_group_id FROM eni_security_groups WHERE eni_id IN (${ph}) ORDER BY position`, ids);
  const tags = await d.all<{ eni_id: string; key: string; value: string }>(`SELECT eni_id, key, value FROM eni_tags WHERE eni_id IN (${ph}) ORDER BY key`, ids);
  const byEni = <T extends { eni_id: string }>(list: T[]) => {
    const m = new Map<string, T[]>();
    for (const x of list) {
      const a = m.get(x.eni_id);
      if (a) a.push(x); else m.set(x.eni_id, [x]);
    }
    return m;
  };
  const a = byEni(addrs);
  const s = byEni(sgs);
  const t = byEni(tags);
  return rows.map((r) => toEni(
    r,
    (a.get(r.id) ?? []).map((x): PrivateAddress => ({ family: Number(x.family) === 6 ? 6 : 4, address: x.address, primary: Boolean(x.is_primary) })),
    (s.get(r.id) ?? []).map((x) => x.security_group_id),
    (t.get(r.id) ?? []).map((x) => ({ key: x.key, value: x.value })),
  ));
}

function eniWhere(accountId: string, f: EniFilter): Where {
  const w = new Where().eq('account_id', accountId).eq('region_id', f.regionId).in('id', f.ids).eq('vpc_id', f.vpcId)
    .eq('vswitch_id', f.vSwitchId).eq('name', f.name).eq('type', f.type).eq('status', f.status).eq('resource_group_id', f.resourceGroupId);
  if (f.instanceId !== undefined) w.add('(instance_id = ? OR pending_instance_id = ?)', f.instanceId, f.instanceId);
  if (f.securityGroupId !== undefined) w.add('id IN (SELECT eni_id FROM eni_security_groups WHERE security_group_id = ?)', f.securityGroupId);
  if (f.primaryIpAddress !== undefined) w.add('id IN (SELECT eni_id FROM private_ips WHERE address = ? AND is_primary = 1)', f.primaryIpAddress);
  if (f.privateIpAddresses?.length) w.add(`id IN (SELECT eni_id FROM private_ips WHERE family = 4 AND address IN (${placeholders(f.privateIpAddresses.length)}))`, ...f.privateIpAddresses);
  if (f.ipv6Addresses?.length) w.add(`id IN (SELECT eni_id FROM private_ips WHERE family = 6 AND address IN (${placeholders(f.ipv6Addresses.length)}))`, ...f.ipv6Addresses);
  for (const tag of f.tags ?? []) {
    if (tag.value === undefined) w.add('id IN (SELECT eni_id FROM eni_tags WHERE key = ?)', tag.key);
    else w.add('id IN (SELECT eni_id FROM eni_tags WHERE key = ? AND value = ?)', tag.key, tag.value);
  }
  return w;
}

async function saveSecurityGroups(d: SqlDriver, e: Eni): Promise<void> {
  await d.run('DELETE FROM eni_security_groups WHERE eni_id = ?', [e.id]);
  for (const [i, sg] of e.securityGroupIds.entries()) {
    await d.run('INSERT INTO eni_security_groups (eni_id, security_group_id, position) VALUES (?, ?, ?)', [e.id, sg, i]);
  }
}

export function eniRepo(d: SqlDriver): Pick<Tx, 'enis'> {
  return {
    enis: {
      async insert(e) {
        await d.run(`INSERT INTO enis (${COLUMNS}) VALUES (${placeholders(18)})`, [
          e.id, e.accountId, e.regionId, e.zoneId, e.vpcId, e.vSwitchId, e.resourceGroupId, e.name, e.description, e.type, e.status,
          e.macAddress, e.instanceId, e.pendingInstanceId, e.transitionDueMs, e.deviceIndex, e.deleteOnRelease ? 1 : 0, e.createdAt,
        ]);
        await saveSecurityGroups(d, e);
        for (const t of e.tags) await d.run('INSERT INTO eni_tags (eni_id, key, value) VALUES (?, ?, ?)', [e.id, t.key, t.value]);
      },
      async get(accountId, id, opts) {
        const r = await d.get<EniRow>(`SELECT * FROM enis WHERE account_id = ? AND id = ?${opts?.forUpdate ? forUpdate(d) : ''}`, [accountId, id]);
        return r ? (await hydrate(d, [r]))[0] : undefined;
      },
      list(accountId, f, p) {
        return pagedSelect<EniRow, Eni>(d, 'enis', eniWhere(accountId, f), p, (rows) => hydrate(d, rows));
      },
      async listByInstance(instanceId) {
        const rows = await d.all<EniRow>('SELECT * FROM enis WHERE instance_id = ? OR pending_instance_id = ? ORDER BY device_index, id', [instanceId, instanceId]);
        return hydrate(d, rows);
      },
      async countOnInstance(instanceId) {
        const r = await d.get<{ n: number | string }>('SELECT COUNT(*) AS n FROM enis WHERE instance_id = ? OR pending_instance_id = ?', [instanceId, instanceId]);
        return Number(r?.n ?? 0);
      },
      async countInRegion(accountId, regionId) {
        const r = await d.get<{ n: number | string }>('SELECT COUNT(*) AS n FROM enis WHERE account_id = ? AND region_id = ?', [accountId, regionId]);
        return Number(r?.n ?? 0);
      },
      async macTaken(mac) {
        return (await d.get('SELECT 1 AS x FROM enis WHERE mac_address = ?', [mac])) !== undefined;
      },
      async update(e) {
        await d.run('UPDATE enis SET name = ?, description = ?, status = ?, instance_id = ?, pending_instance_id = ?, transition_due_ms = ?, device_index = ?, delete_on_release = ?, resource_group_id = ? WHERE id = ?', [
          e.name, e.description, e.status, e.instanceId, e.pendingInstanceId, e.transitionDueMs, e.deviceIndex, e.deleteOnRelease ? 1 : 0, e.resourceGroupId, e.id,
        ]);
        await saveSecurityGroups(d, e);
      },
      async delete(id) {
        await d.run('DELETE FROM private_ips WHERE eni_id = ?', [id]);
        await d.run('DELETE FROM eni_security_groups WHERE eni_id = ?', [id]);
        await d.run('DELETE FROM eni_tags WHERE eni_id = ?', [id]);
        await d.run('DELETE FROM enis WHERE id = ?', [id]);
      },
      async due(nowMs, limit) {
        const rows = await d.all<EniRow>(`SELECT * FROM enis WHERE transition_due_ms IS NOT NULL AND transition_due_ms <= ? ORDER BY transition_due_ms LIMIT ?${forUpdateSkipLocked(d)}`, [nowMs, limit]);
        return hydrate(d, rows);
      },
      async nextDueMs() {
        const r = await d.get<{ m: number | string | null }>('SELECT MIN(transition_due_ms) AS m FROM enis WHERE transition_due_ms IS NOT NULL');
        return r?.m == null ? null : Number(r.m);
      },
    },
  };
}
