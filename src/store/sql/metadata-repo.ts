// Cross-account reads for the instance metadata service (a guest is known by
// its address, not by an AccessKey) and the lab (the host's view of every
// instance). Portable SQL: `?` placeholders, no dialect functions.
import type { PrivateAddress } from '../../domain/model.ts';
import type { EniPlacement, Tx } from '../store.ts';
import type { SqlDriver } from './driver.ts';
import { placeholders } from './driver.ts';
import { toInstance, toVpc, toVSwitch, type AddressSqlRow, type EniRow, type InstanceRow, type VpcRow, type VSwitchRow } from './rows.ts';

const PLACEMENT_COLUMNS = 'id, account_id, vswitch_id, type, status, mac_address, instance_id, pending_instance_id, device_index';
type PlacementRow = Pick<
  EniRow,
  'id' | 'account_id' | 'vswitch_id' | 'type' | 'status' | 'mac_address' | 'instance_id' | 'pending_instance_id' | 'device_index'
>;

/** Chunk size for IN (...) lists: well under SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 500;

async function addressesOf(d: SqlDriver, eniIds: string[]): Promise<Map<string, PrivateAddress[]>> {
  const out = new Map<string, PrivateAddress[]>();
  for (let i = 0; i < eniIds.length; i += CHUNK) {
    const ids = eniIds.slice(i, i + CHUNK);
    const rows = await d.all<AddressSqlRow>(
      `SELECT eni_id, address, family, is_primary FROM private_ips WHERE eni_id IN (${placeholders(ids.length)}) ORDER BY family, is_primary DESC, seq, address`,
      ids,
    );
    for (const r of rows) {
      const a: PrivateAddress = { family: Number(r.family) === 6 ? 6 : 4, address: r.address, primary: Boolean(r.is_primary) };
      const list = out.get(r.eni_id);
      if (list) list.push(a);
      else out.set(r.eni_id, [a]);
    }
  }
  return out;
}

async function prefixesOf(d: SqlDriver, eniIds: string[]): Promise<Map<string, { 4: string[]; 6: string[] }>> {
  const out = new Map<string, { 4: string[]; 6: string[] }>();
  for (let i = 0; i < eniIds.length; i += CHUNK) {
    const ids = eniIds.slice(i, i + CHUNK);
    const rows = await d.all<{ eni_id: string; prefix: string; family: number | string }>(
      `SELECT eni_id, prefix, family FROM ip_prefixes WHERE eni_id IN (${placeholders(ids.length)}) ORDER BY family, seq, prefix`,
      ids,
    );
    for (const r of rows) {
      const lists = out.get(r.eni_id) ?? { 4: [], 6: [] };
      lists[Number(r.family) === 6 ? 6 : 4].push(r.prefix);
      out.set(r.eni_id, lists);
    }
  }
  return out;
}

export function metadataRepo(d: SqlDriver): Pick<Tx, 'metadata'> {
  return {
    metadata: {
      async instanceIdsByAddress(address) {
        const rows = await d.all<{ instance_id: string; type: string }>(
          `SELECT e.instance_id AS instance_id, e.type AS type FROM private_ips p JOIN enis e ON e.id = p.eni_id
           WHERE p.address = ? AND p.family = 4 AND e.instance_id IS NOT NULL AND e.status = 'InUse'
           ORDER BY CASE WHEN e.type = 'Primary' THEN 0 ELSE 1 END, e.instance_id`,
          [address],
        );
        return [...new Set(rows.map((r) => r.instance_id))];
      },
      async instance(id) {
        const r = await d.get<InstanceRow>('SELECT * FROM instances WHERE id = ?', [id]);
        return r && toInstance(r);
      },
      async vpc(id) {
        const r = await d.get<VpcRow>('SELECT * FROM vpcs WHERE id = ?', [id]);
        return r && toVpc(r);
      },
      async vSwitch(id) {
        const r = await d.get<VSwitchRow>('SELECT * FROM vswitches WHERE id = ?', [id]);
        return r && toVSwitch(r);
      },
      async allInstances() {
        return (await d.all<InstanceRow>('SELECT * FROM instances ORDER BY id')).map(toInstance);
      },
      async allVSwitches() {
        return (await d.all<VSwitchRow>('SELECT * FROM vswitches ORDER BY id')).map(toVSwitch);
      },
      async allEnis() {
        const rows = await d.all<PlacementRow>(`SELECT ${PLACEMENT_COLUMNS} FROM enis ORDER BY id`);
        const addrs = await addressesOf(
          d,
          rows.map((r) => r.id),
        );
        const prefixes = await prefixesOf(
          d,
          rows.map((r) => r.id),
        );
        return rows.map((r): EniPlacement => ({
          id: r.id,
          accountId: r.account_id,
          vSwitchId: r.vswitch_id,
          type: r.type as EniPlacement['type'],
          status: r.status as EniPlacement['status'],
          macAddress: r.mac_address,
          instanceId: r.instance_id,
          pendingInstanceId: r.pending_instance_id,
          deviceIndex: r.device_index === null ? null : Number(r.device_index),
          addresses: addrs.get(r.id) ?? [],
          ipv4Prefixes: prefixes.get(r.id)?.[4] ?? [],
          ipv6Prefixes: prefixes.get(r.id)?.[6] ?? [],
        }));
      },
    },
  };
}
