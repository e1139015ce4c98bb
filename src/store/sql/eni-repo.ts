// ENIs with their addresses, security groups and tags, loaded in batches.
import type { Eni, PrivateAddress } from '../../domain/model.ts';
import type { EniFilter, TagFilter, Tx } from '../store.ts';
import type { SqlDriver } from './driver.ts';
import { forUpdate, forUpdateSkipLocked, placeholders } from './driver.ts';
import { pagedSelect, Where } from './query.ts';
import { toEni, type EniRow } from './rows.ts';
import { lockAddresses } from './misc-repos.ts';
import { taggedCount, whereTaggedPlanned } from './tag-repo.ts';

/**
 * An ENI's settings, in the order the insert and the update write them: the traffic
 * mode and queues, then (migration 006 on SQLite, 005 on PostgreSQL) connection
 * tracking and enhanced network.
 */
const SETTINGS_COLUMNS = [
  'traffic_mode',
  'queue_number',
  'queue_pair_number',
  'rx_queue_size',
  'tx_queue_size',
  'source_dest_check',
  'network_card_index',
  'tcp_closed_and_time_wait_timeout',
  'tcp_established_timeout',
  'udp_timeout',
  'enable_sriov',
  'enable_rss',
  'enable_express',
  'virtual_function_quantity',
  'virtual_function_total_queue_number',
];
/** The enis columns in the order of eniValues and eniFromJson. */
const ENI_COLUMN_LIST = [
  ...['id', 'account_id', 'region_id', 'zone_id', 'vpc_id', 'vswitch_id', 'resource_group_id', 'name', 'description', 'type', 'status'],
  ...['mac_address', 'instance_id', 'pending_instance_id', 'transition_due_ms', 'device_index', 'delete_on_release', 'created_at'],
  ...SETTINGS_COLUMNS,
  'trunk_eni_id',
];
export const ENI_COLUMNS = ENI_COLUMN_LIST.join(', ');

export const ENI_COLUMN_COUNT = ENI_COLUMN_LIST.length;

/** An ENI's own row, in ENI_COLUMNS order. */
export function eniValues(e: Eni): unknown[] {
  return [
    e.id,
    e.accountId,
    e.regionId,
    e.zoneId,
    e.vpcId,
    e.vSwitchId,
    e.resourceGroupId,
    e.name,
    e.description,
    e.type,
    e.status,
    e.macAddress,
    e.instanceId,
    e.pendingInstanceId,
    e.transitionDueMs,
    e.deviceIndex,
    e.deleteOnRelease ? 1 : 0,
    e.createdAt,
    ...settingsValues(e),
    e.trunkEniId,
  ];
}

const SETTINGS_UPDATE = SETTINGS_COLUMNS.map((c) => `${c} = ?`).join(', ');

/** An optional switch as stored: 1/0, or NULL when the client never set it. */
const flag = (v: boolean | null) => (v === null ? null : v ? 1 : 0);
/** An ENI's settings, in SETTINGS_COLUMNS order. */
const settingsValues = ({ traffic: t, sourceDestCheck, networkCardIndex }: Eni) => [
  t.mode,
  t.queueNumber,
  t.queuePairNumber,
  t.rxQueueSize,
  t.txQueueSize,
  sourceDestCheck ? 1 : 0,
  networkCardIndex,
  t.tcpClosedAndTimeWaitTimeout,
  t.tcpEstablishedTimeout,
  t.udpTimeout,
  flag(t.enableSriov),
  flag(t.enableRss),
  flag(t.enableExpress),
  t.virtualFunctionQuantity,
  t.virtualFunctionTotalQueueNumber,
];

/**
 * An ENI's children — addresses, security groups, tags — come with it as one
 * JSON array per table, from correlated subqueries: loading one ENI (every
 * assign and unassign does) is one statement, and a page of them is one too.
 */
interface AggregatedChildren {
  child_addresses: string | unknown[];
  child_sgs: string | unknown[];
  child_tags: string | unknown[];
  child_prefixes: string | unknown[];
}

/** The four children aggregates of the ENI row `ref` (a table name or alias), as JSON arrays, in AggregatedChildren order. */
function childAggregates(d: SqlDriver, ref: string): string[] {
  const agg =
    d.dialect === 'postgres'
      ? (cols: string) => `COALESCE(json_agg(json_build_array(${cols})), '[]'::json)`
      : (cols: string) => `json_group_array(json_array(${cols}))`;
  return [
    `(SELECT ${agg('address, family, is_primary, seq')} FROM private_ips WHERE eni_id = ${ref}.id)`,
    `(SELECT ${agg('security_group_id, position')} FROM eni_security_groups WHERE eni_id = ${ref}.id)`,
    `(SELECT ${agg('key, value')} FROM tags WHERE resource_id = ${ref}.id)`,
    `(SELECT ${agg('prefix, family, seq')} FROM ip_prefixes WHERE eni_id = ${ref}.id)`,
  ];
}

function childrenColumns(d: SqlDriver): string {
  const [a, g, t, p] = childAggregates(d, 'e');
  return `${a} AS child_addresses, ${g} AS child_sgs, ${t} AS child_tags, ${p} AS child_prefixes`;
}

/**
 * A whole ENI as one JSON array (`eni`): its columns in ENI_COLUMNS order, then
 * its four children arrays. A page of ENIs is one statement returning one text
 * value a row: the database builds the JSON, and one JSON.parse an ENI is far
 * cheaper than the driver making an object of 38 columns (SQLite: 4.9 → 3.0 ms
 * CPU a page of 100 with 10 addresses each, loaded; docs/scaling.md).
 */
function eniJsonColumn(d: SqlDriver): string {
  const build = d.dialect === 'postgres' ? 'json_build_array' : 'json_array';
  return `${build}(${ENI_COLUMN_LIST.map((c) => `enis.${c}`).join(', ')}, ${childAggregates(d, 'enis').join(', ')}) AS eni`;
}

/** An ENI from eniJsonColumn's array (text on SQLite, parsed already by pg). */
function eniFromJson(v: string | unknown[]): Eni {
  const a = (typeof v === 'string' ? JSON.parse(v) : v) as never[];
  const r: EniRow = {
    id: a[0],
    account_id: a[1],
    region_id: a[2],
    zone_id: a[3],
    vpc_id: a[4],
    vswitch_id: a[5],
    resource_group_id: a[6],
    name: a[7],
    description: a[8],
    type: a[9],
    status: a[10],
    mac_address: a[11],
    instance_id: a[12],
    pending_instance_id: a[13],
    transition_due_ms: a[14],
    device_index: a[15],
    delete_on_release: a[16],
    created_at: a[17],
    traffic_mode: a[18],
    queue_number: a[19],
    queue_pair_number: a[20],
    rx_queue_size: a[21],
    tx_queue_size: a[22],
    source_dest_check: a[23],
    network_card_index: a[24],
    tcp_closed_and_time_wait_timeout: a[25],
    tcp_established_timeout: a[26],
    udp_timeout: a[27],
    enable_sriov: a[28],
    enable_rss: a[29],
    enable_express: a[30],
    virtual_function_quantity: a[31],
    virtual_function_total_queue_number: a[32],
    trunk_eni_id: a[33],
  };
  return withChildren(r, { child_addresses: a[34], child_sgs: a[35], child_tags: a[36], child_prefixes: a[37] });
}

// SQLite hands JSON back as text, PostgreSQL (pg) already parsed.
const jsonArray = <T>(v: string | unknown[]): T[] => (typeof v === 'string' ? JSON.parse(v) : v) as T[];
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

type AddressTuple = [string, number, number | boolean, number | string];
const byAddressOrder = (a: AddressTuple, b: AddressTuple) =>
  Number(a[1]) - Number(b[1]) || Number(b[2]) - Number(a[2]) || Number(a[3]) - Number(b[3]) || byText(a[0], b[0]);

/** Sorted here, not in SQL: addresses by family, primary first, then assignment order; groups by position; tags by key. */
function withChildren(r: EniRow, c: AggregatedChildren): Eni {
  const tuples = jsonArray<AddressTuple>(c.child_addresses);
  if (tuples.length > 1) tuples.sort(byAddressOrder);
  const addresses = new Array<PrivateAddress>(tuples.length);
  for (let i = 0; i < tuples.length; i++) {
    const t = tuples[i];
    addresses[i] = { family: Number(t[1]) === 6 ? 6 : 4, address: t[0], primary: Boolean(Number(t[2])) };
  }
  const sgTuples = jsonArray<[string, number]>(c.child_sgs);
  if (sgTuples.length > 1) sgTuples.sort((a, b) => Number(a[1]) - Number(b[1]));
  const sgs = sgTuples.map((t) => t[0]);
  const tagTuples = jsonArray<[string, string]>(c.child_tags);
  if (tagTuples.length > 1) tagTuples.sort((a, b) => byText(a[0], b[0]));
  const tags = tagTuples.map(([key, value]) => ({ key, value }));
  const prefixes = jsonArray<[string, number, number | string]>(c.child_prefixes ?? []);
  if (prefixes.length === 0) return toEni(r, addresses, sgs, tags);
  prefixes.sort((a, b) => Number(a[2]) - Number(b[2]) || byText(a[0], b[0]));
  return toEni(r, addresses, sgs, tags, {
    ipv4Prefixes: prefixes.filter((p) => Number(p[1]) === 4).map((p) => p[0]),
    ipv6Prefixes: prefixes.filter((p) => Number(p[1]) === 6).map((p) => p[0]),
  });
}

/** Rows already read (a page, a locked row): their children in one more statement. */
async function hydrate(d: SqlDriver, rows: EniRow[]): Promise<Eni[]> {
  if (rows.length === 0) return [];
  const children = await d.all<AggregatedChildren & { id: string }>(
    `SELECT e.id, ${childrenColumns(d)} FROM enis e WHERE e.id IN (${placeholders(rows.length)})`,
    rows.map((r) => r.id),
  );
  const byId = new Map(children.map((c) => [c.id, c]));
  return rows.map((r) => withChildren(r, byId.get(r.id) ?? { child_addresses: [], child_sgs: [], child_tags: [], child_prefixes: [] }));
}

function eniWhere(accountId: string, f: EniFilter): Where {
  const w = new Where()
    .eq('account_id', accountId)
    .eq('region_id', f.regionId)
    .in('id', f.ids)
    .eq('vpc_id', f.vpcId)
    .eq('vswitch_id', f.vSwitchId)
    .eq('name', f.name)
    .eq('type', f.type)
    .eq('status', f.status)
    .eq('resource_group_id', f.resourceGroupId);
  // Two index ranges, not an OR: beside account_id = ? SQLite walked the whole account for an OR (0.5 s at 50,000 ENIs).
  if (f.instanceId !== undefined)
    w.add(
      'id IN (SELECT id FROM enis WHERE instance_id = ? UNION ALL SELECT id FROM enis WHERE pending_instance_id = ?)',
      f.instanceId,
      f.instanceId,
    );
  if (f.securityGroupId !== undefined)
    w.add('id IN (SELECT eni_id FROM eni_security_groups WHERE security_group_id = ?)', f.securityGroupId);
  if (f.primaryIpAddress !== undefined)
    w.add('id IN (SELECT eni_id FROM private_ips WHERE address = ? AND is_primary = 1)', f.primaryIpAddress);
  if (f.privateIpAddresses?.length)
    w.add(
      `id IN (SELECT eni_id FROM private_ips WHERE family = 4 AND address IN (${placeholders(f.privateIpAddresses.length)}))`,
      ...f.privateIpAddresses,
    );
  if (f.ipv6Addresses?.length)
    w.add(
      `id IN (SELECT eni_id FROM private_ips WHERE family = 6 AND address IN (${placeholders(f.ipv6Addresses.length)}))`,
      ...f.ipv6Addresses,
    );
  return w;
}

async function saveSecurityGroups(d: SqlDriver, e: Eni): Promise<void> {
  await d.run('DELETE FROM eni_security_groups WHERE eni_id = ?', [e.id]);
  for (const [i, sg] of e.securityGroupIds.entries()) {
    await d.run('INSERT INTO eni_security_groups (eni_id, security_group_id, position) VALUES (?, ?, ?)', [e.id, sg, i]);
  }
}

/**
 * Adds delta to the account's ENI count in the region (eni_counts, migration
 * 016). SQLite: one row (one writer). PostgreSQL: a shard row no other
 * transaction holds, from a random start (SKIP LOCKED, as the security-group
 * shards of migration 007), so deletes and creations in one account never wait
 * on a counter or take two in opposite orders; only when every existing shard
 * is held does it add to a random one (creating it), which may wait.
 */
export async function adjustEniCount(d: SqlDriver, accountId: string, regionId: string, delta: number): Promise<void> {
  if (delta === 0) return;
  const shard = d.dialect === 'postgres' ? Math.floor(Math.random() * 16) : 0;
  if (d.dialect === 'postgres') {
    const r = await d.run(
      `UPDATE eni_counts SET n = n + ? WHERE account_id = ? AND region_id = ? AND shard = (
        SELECT shard FROM eni_counts WHERE account_id = ? AND region_id = ? ORDER BY (shard + ?) % 16 LIMIT 1 FOR UPDATE SKIP LOCKED)`,
      [delta, accountId, regionId, accountId, regionId, shard],
    );
    if (r.changes > 0) return;
  }
  await d.run(
    'INSERT INTO eni_counts (account_id, region_id, shard, n) VALUES (?, ?, ?, ?) ON CONFLICT (account_id, region_id, shard) DO UPDATE SET n = eni_counts.n + excluded.n',
    [accountId, regionId, shard, delta],
  );
}

/** The account's ENIs in the region, from their counters: 16 rows at most, whatever the count. */
async function eniCount(d: SqlDriver, accountId: string, regionId: string): Promise<number> {
  const r = await d.get<{ n: number | string | null }>('SELECT SUM(n) AS n FROM eni_counts WHERE account_id = ? AND region_id = ?', [
    accountId,
    regionId,
  ]);
  return Number(r?.n ?? 0);
}

/** Whether the filter asks for nothing but the account, the region and the `allowed` fields. */
function onlyFilters(f: EniFilter, allowed: readonly string[] = []): boolean {
  for (const [k, v] of Object.entries(f))
    if (k !== 'regionId' && v !== undefined && !allowed.includes(k) && !(k === 'tags' && (v as unknown[]).length === 0)) return false;
  return true;
}

/**
 * The account's ENIs in the region of one VPC and/or status, from
 * eni_state_counts (migration 021, kept by triggers on enis): a few rows for
 * Status=InUse or VpcId, however many ENIs match.
 */
async function stateCount(d: SqlDriver, accountId: string, f: EniFilter): Promise<number> {
  const w = new Where().eq('account_id', accountId).eq('region_id', f.regionId).eq('vpc_id', f.vpcId).eq('status', f.status);
  const r = await d.get<{ n: number | string | null }>(`SELECT SUM(n) AS n FROM eni_state_counts${w.sql()}`, w.params);
  return Number(r?.n ?? 0);
}

export function eniRepo(d: SqlDriver): Pick<Tx, 'enis'> {
  const getWithChildren = `SELECT e.*, ${childrenColumns(d)} FROM enis e WHERE e.account_id = ? AND e.id = ?`;
  const eniJson = eniJsonColumn(d);
  return {
    enis: {
      async insert(e) {
        await d.run(`INSERT INTO enis (${ENI_COLUMNS}) VALUES (${placeholders(ENI_COLUMN_COUNT)})`, eniValues(e));
        await adjustEniCount(d, e.accountId, e.regionId, 1);
        await saveSecurityGroups(d, e);
        for (const t of e.tags) {
          await d.run('INSERT INTO tags (resource_id, key, value, resource_type, account_id, region_id) VALUES (?, ?, ?, ?, ?, ?)', [
            e.id,
            t.key,
            t.value,
            'eni',
            e.accountId,
            e.regionId,
          ]);
        }
      },
      async get(accountId, id, opts) {
        if (opts?.forUpdate && d.dialect === 'postgres') {
          // Lock first, then read the children in statements of their own: under READ COMMITTED a
          // statement that had to wait for the row lock still sees the children as of its start.
          const r = await d.get<EniRow>(`SELECT * FROM enis WHERE account_id = ? AND id = ?${forUpdate(d)}`, [accountId, id]);
          return r ? (await hydrate(d, [r]))[0] : undefined;
        }
        const r = await d.get<EniRow & AggregatedChildren>(getWithChildren, [accountId, id]);
        return r ? withChildren(r, r) : undefined;
      },
      async list(accountId, f, p) {
        const scope = { accountId, regionId: f.regionId, resourceType: 'eni' as const };
        const scopeCount = () => eniCount(d, accountId, f.regionId);
        const tagCounts = new Map<TagFilter, number>();
        const w = await whereTaggedPlanned(d, 'enis', eniWhere(accountId, f), scope, f.tags, scopeCount, tagCounts);
        // TotalCount from counters where they answer it, not by counting the matching ENIs: no filter,
        // one tag alone, a VPC and/or a status alone.
        const oneTag = f.tags?.length === 1 && onlyFilters({ ...f, tags: undefined }) ? f.tags[0] : undefined;
        const count = onlyFilters(f)
          ? scopeCount
          : oneTag
            ? async () => tagCounts.get(oneTag) ?? (await taggedCount(d, scope, oneTag))
            : onlyFilters(f, ['vpcId', 'status'])
              ? () => stateCount(d, accountId, f)
              : undefined;
        return pagedSelect<{ id: string; eni: string | unknown[] }, Eni>(
          d,
          'enis',
          w,
          p,
          (rows) => rows.map((r) => eniFromJson(r.eni)),
          count,
          {
            columns: `enis.id, ${eniJson}`,
          },
        );
      },
      async listByInstance(instanceId) {
        const rows = await d.all<{ eni: string | unknown[] }>(
          `SELECT ${eniJson} FROM enis WHERE instance_id = ? OR pending_instance_id = ? ORDER BY device_index, id`,
          [instanceId, instanceId],
        );
        return rows.map((r) => eniFromJson(r.eni));
      },
      async listByInstances(instanceIds) {
        const out = new Map<string, Eni[]>(instanceIds.map((id) => [id, []]));
        if (instanceIds.length === 0) return out;
        const list = placeholders(instanceIds.length);
        const rows = await d.all<{ eni: string | unknown[] }>(
          `SELECT ${eniJson} FROM enis WHERE id IN (SELECT id FROM enis WHERE instance_id IN (${list}) UNION SELECT id FROM enis WHERE pending_instance_id IN (${list})) ORDER BY device_index, id`,
          [...instanceIds, ...instanceIds],
        );
        // An ENI moving between instances belongs to both (as listByInstance of each has it).
        for (const e of rows.map((r) => eniFromJson(r.eni)))
          for (const id of new Set([e.instanceId, e.pendingInstanceId])) if (id !== null) out.get(id)?.push(e);
        return out;
      },
      async countOnInstance(instanceId) {
        const r = await d.get<{ n: number | string }>('SELECT COUNT(*) AS n FROM enis WHERE instance_id = ? OR pending_instance_id = ?', [
          instanceId,
          instanceId,
        ]);
        return Number(r?.n ?? 0);
      },
      async countInRegion(accountId, regionId) {
        return eniCount(d, accountId, regionId);
      },
      async macTaken(mac) {
        return (await d.get('SELECT 1 AS x FROM enis WHERE mac_address = ?', [mac])) !== undefined;
      },
      async update(e) {
        await d.run(
          `UPDATE enis SET name = ?, description = ?, status = ?, instance_id = ?, pending_instance_id = ?, transition_due_ms = ?, device_index = ?, delete_on_release = ?, resource_group_id = ?,
          ${SETTINGS_UPDATE}, type = ?, trunk_eni_id = ? WHERE id = ?`,
          [
            e.name,
            e.description,
            e.status,
            e.instanceId,
            e.pendingInstanceId,
            e.transitionDueMs,
            e.deviceIndex,
            e.deleteOnRelease ? 1 : 0,
            e.resourceGroupId,
            ...settingsValues(e),
            e.type,
            e.trunkEniId,
            e.id,
          ],
        );
        await saveSecurityGroups(d, e);
      },
      async delete(id) {
        await lockAddresses(d, 'eni_id = ?', [id]);
        await d.run('DELETE FROM private_ips WHERE eni_id = ?', [id]);
        await d.run('DELETE FROM ip_prefixes WHERE eni_id = ?', [id]);
        await d.run('DELETE FROM eni_security_groups WHERE eni_id = ?', [id]);
        await d.run('DELETE FROM tags WHERE resource_id = ?', [id]);
        const gone = await d.get<{ account_id: string; region_id: string }>(
          'DELETE FROM enis WHERE id = ? RETURNING account_id, region_id',
          [id],
        );
        if (gone) await adjustEniCount(d, gone.account_id, gone.region_id, -1);
      },
      async due(nowMs, limit) {
        const rows = await d.all<EniRow>(
          `SELECT * FROM enis WHERE transition_due_ms IS NOT NULL AND transition_due_ms <= ? ORDER BY transition_due_ms LIMIT ?${forUpdateSkipLocked(d)}`,
          [nowMs, limit],
        );
        return hydrate(d, rows);
      },
      async nextDueMs() {
        const r = await d.get<{ m: number | string | null }>(
          'SELECT MIN(transition_due_ms) AS m FROM enis WHERE transition_due_ms IS NOT NULL',
        );
        return r?.m == null ? null : Number(r.m);
      },
    },
  };
}
