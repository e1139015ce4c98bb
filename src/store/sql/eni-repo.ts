// ENIs with their addresses, security groups and tags, loaded in batches.
import type { Eni, PrivateAddress } from '../../domain/model.ts';
import type { EniFilter, Tx } from '../store.ts';
import type { SqlDriver } from './driver.ts';
import { forUpdate, forUpdateSkipLocked, placeholders } from './driver.ts';
import { pagedSelect, Where } from './query.ts';
import { toEni, type EniRow } from './rows.ts';

const COLUMNS = 'id, account_id, region_id, zone_id, vpc_id, vswitch_id, resource_group_id, name, description, type, status, mac_address, instance_id, pending_instance_id, transition_due_ms, device_index, delete_on_release, created_at';

/**
 * One row of the three child tables, read in a single UNION ALL (one statement
 * instead of three on every ENI load): k says which table, the columns line up
 * with one type each so PostgreSQL can union them.
 *   k=0 address:        s1 address,           n1 family,   n2 is_primary, n3 seq
 *   k=1 security group: s1 security_group_id, n1 position
 *   k=2 tag:            s1 key, s2 value
 */
interface ChildRow { k: number | string; eni_id: string; s1: string; s2: string | null; n1: number | string | null; n2: number | string | boolean | null; n3: number | string | null }

// Sorted here rather than by the UNION's ORDER BY (a temporary B-tree per load): addresses by
// family, primary first, then assignment order; security groups by position; tags by key.
const childOrder = (a: ChildRow, b: ChildRow): number =>
  Number(a.n1) - Number(b.n1) || Number(b.n2) - Number(a.n2) || Number(a.n3) - Number(b.n3) || (a.s1 < b.s1 ? -1 : a.s1 > b.s1 ? 1 : 0);

function childrenSql(n: number): string {
  const ph = placeholders(n);
  return `SELECT 0 AS k, eni_id, address AS s1, CAST(NULL AS TEXT) AS s2, family AS n1, is_primary AS n2, seq AS n3 FROM private_ips WHERE eni_id IN (${ph})
    UNION ALL SELECT 1, eni_id, security_group_id, NULL, position, NULL, NULL FROM eni_security_groups WHERE eni_id IN (${ph})
    UNION ALL SELECT 2, eni_id, key, value, NULL, NULL, NULL FROM eni_tags WHERE eni_id IN (${ph})`;
}

async function hydrate(d: SqlDriver, rows: EniRow[]): Promise<Eni[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const children = (await d.all<ChildRow>(childrenSql(ids.length), [...ids, ...ids, ...ids])).sort((a, b) => Number(a.k) - Number(b.k) || childOrder(a, b));
  const byEni = new Map<string, { addresses: PrivateAddress[]; sgs: string[]; tags: { key: string; value: string }[] }>();
  for (const r of rows) byEni.set(r.id, { addresses: [], sgs: [], tags: [] });
  for (const c of children) {
    const e = byEni.get(c.eni_id)!;
    const k = Number(c.k);
    if (k === 0) e.addresses.push({ family: Number(c.n1) === 6 ? 6 : 4, address: c.s1, primary: Boolean(Number(c.n2)) });
    else if (k === 1) e.sgs.push(c.s1);
    else e.tags.push({ key: c.s1, value: c.s2 ?? '' });
  }
  return rows.map((r) => {
    const c = byEni.get(r.id)!;
    return toEni(r, c.addresses, c.sgs, c.tags);
  });
}

/**
 * Loading one ENI (every assign and unassign does) in one statement: its
 * children come along as JSON arrays, one per table — a statement fewer than
 * hydrate(), which lists use.
 */
interface AggregatedChildren { child_addresses: string | unknown[]; child_sgs: string | unknown[]; child_tags: string | unknown[] }

function getWithChildrenSql(d: SqlDriver): string {
  const agg = d.dialect === 'postgres'
    ? (cols: string) => `COALESCE(json_agg(json_build_array(${cols})), '[]'::json)`
    : (cols: string) => `json_group_array(json_array(${cols}))`;
  return `SELECT e.*,
    (SELECT ${agg('address, family, is_primary, seq')} FROM private_ips WHERE eni_id = e.id) AS child_addresses,
    (SELECT ${agg('security_group_id, position')} FROM eni_security_groups WHERE eni_id = e.id) AS child_sgs,
    (SELECT ${agg('key, value')} FROM eni_tags WHERE eni_id = e.id) AS child_tags
    FROM enis e WHERE e.account_id = ? AND e.id = ?`;
}

// SQLite hands JSON back as text, PostgreSQL (pg) already parsed.
const jsonArray = <T>(v: string | unknown[]): T[] => (typeof v === 'string' ? JSON.parse(v) : v) as T[];
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function fromAggregated(r: EniRow & AggregatedChildren): Eni {
  const addresses = jsonArray<[string, number, number | boolean, number | string]>(r.child_addresses)
    .sort((a, b) => Number(a[1]) - Number(b[1]) || Number(b[2]) - Number(a[2]) || Number(a[3]) - Number(b[3]) || byText(a[0], b[0]))
    .map(([address, family, primary]): PrivateAddress => ({ family: Number(family) === 6 ? 6 : 4, address, primary: Boolean(Number(primary)) }));
  const sgs = jsonArray<[string, number]>(r.child_sgs).sort((a, b) => Number(a[1]) - Number(b[1])).map(([sg]) => sg);
  const tags = jsonArray<[string, string]>(r.child_tags).sort((a, b) => byText(a[0], b[0])).map(([key, value]) => ({ key, value }));
  return toEni(r, addresses, sgs, tags);
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
  const getWithChildren = getWithChildrenSql(d);
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
        if (opts?.forUpdate && d.dialect === 'postgres') {
          // Lock first, then read the children in statements of their own: under READ COMMITTED a
          // statement that had to wait for the row lock still sees the children as of its start.
          const r = await d.get<EniRow>(`SELECT * FROM enis WHERE account_id = ? AND id = ?${forUpdate(d)}`, [accountId, id]);
          return r ? (await hydrate(d, [r]))[0] : undefined;
        }
        const r = await d.get<EniRow & AggregatedChildren>(getWithChildren, [accountId, id]);
        return r ? fromAggregated(r) : undefined;
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
