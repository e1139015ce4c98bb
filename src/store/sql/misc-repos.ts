// Addresses, ClientToken results, signature nonces and the small key-value table.
import type { Tx } from '../store.ts';
import type { SqlDriver } from './driver.ts';
import { placeholders } from './driver.ts';
import { nonceKey, nonceKeySlice } from './nonce-key.ts';

let seqCounter = 0;
/** Assignment order for addresses: time-based and increasing within this process. */
export function nextSeq(): number {
  seqCounter = (seqCounter + 1) % 1000;
  return Date.now() * 1000 + seqCounter;
}

/**
 * PostgreSQL: takes the address locks of the rows about to be deleted (waiting
 * at most 100 ms each, in address order), so an automatic pick never waits on
 * an uncommitted delete. SQLite: nothing to do.
 */
export async function lockAddresses(d: SqlDriver, where: string, params: unknown[]): Promise<void> {
  if (d.dialect !== 'postgres') return;
  await d.all(
    `SELECT eniplane_address_lock(vswitch_id, address) FROM (SELECT vswitch_id, address FROM private_ips WHERE ${where} ORDER BY address) a`,
    params,
  );
}

/** The 16 addresses of an IPv4 prefix starting at `first`, as text. */
function ipv4BlockTexts(first: number): string[] {
  return Array.from({ length: 16 }, (_, i) => {
    const n = first + i;
    return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  });
}

export function miscRepos(d: SqlDriver): Pick<Tx, 'addresses' | 'prefixes' | 'idempotency' | 'nonces' | 'kv'> {
  return {
    prefixes: {
      async insert(rows) {
        const inserted: string[] = [];
        for (const r of rows) {
          if (r.family === 4 && r.ipv4First !== null) {
            const texts = ipv4BlockTexts(r.ipv4First);
            // PostgreSQL: the 16 address locks first (in address order), so no address row can
            // appear inside the block between the check below and the insert (migration 013).
            if (d.dialect === 'postgres') {
              await d.all(`SELECT eniplane_address_lock(?, a) FROM unnest(?::text[]) a ORDER BY a`, [r.vSwitchId, [...texts].sort()]);
            }
            const held = await d.get(`SELECT 1 AS x FROM private_ips WHERE vswitch_id = ? AND address IN (${placeholders(16)})`, [
              r.vSwitchId,
              ...texts,
            ]);
            if (held) continue;
          } else if (d.dialect === 'postgres') {
            await d.all('SELECT pg_advisory_xact_lock(1701734765, eniplane_ipv6_block_key(?, ?))', [r.vSwitchId, r.prefix.split('/')[0]]);
          }
          const res = await d.run(
            'INSERT INTO ip_prefixes (eni_id, vswitch_id, family, prefix, ipv4_first, seq) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
            [r.eniId, r.vSwitchId, r.family, r.prefix, r.ipv4First, nextSeq()],
          );
          if (res.changes > 0) inserted.push(r.prefix);
        }
        return inserted;
      },
      async delete(eniId, prefixes) {
        if (prefixes.length === 0) return 0;
        return (
          await d.run(`DELETE FROM ip_prefixes WHERE eni_id = ? AND prefix IN (${placeholders(prefixes.length)})`, [eniId, ...prefixes])
        ).changes;
      },
      async deleteAllOf(eniId) {
        return (await d.run('DELETE FROM ip_prefixes WHERE eni_id = ?', [eniId])).changes;
      },
      async ipv4FirstsInVSwitch(vSwitchId) {
        return (
          await d.all<{ n: number | string }>('SELECT ipv4_first AS n FROM ip_prefixes WHERE vswitch_id = ? AND ipv4_first IS NOT NULL', [
            vSwitchId,
          ])
        ).map((r) => Number(r.n));
      },
      async ipv6InVSwitch(vSwitchId) {
        return (await d.all<{ p: string }>('SELECT prefix AS p FROM ip_prefixes WHERE vswitch_id = ? AND family = 6', [vSwitchId])).map(
          (r) => r.p,
        );
      },
    },
    addresses: {
      async insert(rows) {
        const inserted: string[] = [];
        for (const r of rows) {
          const values = [r.vSwitchId, r.address, r.family, r.ipv4Num, r.eniId, r.primary ? 1 : 0, nextSeq()];
          if (d.dialect === 'postgres') {
            // The address lock first (migration 007 says why), then the row.
            const res = await d.run(
              `INSERT INTO private_ips (vswitch_id, address, family, ipv4_num, eni_id, is_primary, seq)
                SELECT ?::text, ?::text, ?::integer, ?::bigint, ?::text, ?::integer, ?::bigint WHERE eniplane_address_lock(?, ?) ON CONFLICT DO NOTHING`,
              [...values, r.vSwitchId, r.address],
            );
            if (res.changes > 0) inserted.push(r.address);
            continue;
          }
          // ON CONFLICT DO NOTHING: a taken address is reported, not raised, so the
          // caller can pick again.
          const res = await d.run(
            'INSERT INTO private_ips (vswitch_id, address, family, ipv4_num, eni_id, is_primary, seq) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
            values,
          );
          if (res.changes > 0) inserted.push(r.address);
        }
        return inserted;
      },
      async delete(eniId, addresses) {
        if (addresses.length === 0) return 0;
        const where = `eni_id = ? AND address IN (${placeholders(addresses.length)})`;
        await lockAddresses(d, where, [eniId, ...addresses]);
        return (await d.run(`DELETE FROM private_ips WHERE ${where}`, [eniId, ...addresses])).changes;
      },
      async deleteAllOf(eniId) {
        await lockAddresses(d, 'eni_id = ?', [eniId]);
        return (await d.run('DELETE FROM private_ips WHERE eni_id = ?', [eniId])).changes;
      },
      async ipv4NumsInVSwitch(vSwitchId) {
        // Through the vSwitch's ENIs: addresses are keyed by ENI, and an ENI's addresses are all in its vSwitch.
        return (
          await d.all<{ n: number | string }>(
            'SELECT p.ipv4_num AS n FROM enis e JOIN private_ips p ON p.eni_id = e.id AND p.vswitch_id = e.vswitch_id WHERE e.vswitch_id = ? AND p.family = 4',
            [vSwitchId],
          )
        ).map((r) => Number(r.n));
      },
      async ipv6InVSwitch(vSwitchId) {
        return (
          await d.all<{ a: string }>(
            'SELECT p.address AS a FROM enis e JOIN private_ips p ON p.eni_id = e.id AND p.vswitch_id = e.vswitch_id WHERE e.vswitch_id = ? AND p.family = 6',
            [vSwitchId],
          )
        ).map((r) => r.a);
      },
    },
    idempotency: {
      async get(accountId, action, token) {
        const r = await d.get<{ params_hash: string; result: string }>(
          'SELECT params_hash, result FROM idempotency WHERE account_id = ? AND action = ? AND token = ?',
          [accountId, action, token],
        );
        return r && { paramsHash: r.params_hash, result: r.result };
      },
      async put(accountId, action, token, v, createdMs) {
        const res = await d.run(
          'INSERT INTO idempotency (account_id, action, token, params_hash, result, created_ms) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
          [accountId, action, token, v.paramsHash, v.result, createdMs],
        );
        return res.changes > 0;
      },
      async purge(beforeMs, limit) {
        if (limit === undefined) return (await d.run('DELETE FROM idempotency WHERE created_ms < ?', [beforeMs])).changes;
        return (
          await d.run(
            'DELETE FROM idempotency WHERE (account_id, action, token) IN (SELECT account_id, action, token FROM idempotency WHERE created_ms < ? LIMIT ?)',
            [beforeMs, limit],
          )
        ).changes;
      },
    },
    nonces: {
      async add(accessKeyId, nonce, expiresMs) {
        const res = await d.run('INSERT INTO nonces (key, expires_ms) VALUES (?, ?) ON CONFLICT DO NOTHING', [
          nonceKey(accessKeyId, nonce),
          expiresMs,
        ]);
        return res.changes > 0;
      },
      async purge(nowMs, slice) {
        if (!slice) return (await d.run('DELETE FROM nonces WHERE expires_ms < ?', [nowMs])).changes;
        // A range of the primary key: the rows of one slice lie together, and the statement reads only them.
        const [lo, hi] = nonceKeySlice(slice.index, slice.of);
        if (hi === undefined) return (await d.run('DELETE FROM nonces WHERE key >= ? AND expires_ms < ?', [lo, nowMs])).changes;
        return (await d.run('DELETE FROM nonces WHERE key >= ? AND key < ? AND expires_ms < ?', [lo, hi, nowMs])).changes;
      },
    },
    kv: {
      async get(key, nowMs) {
        const r = await d.get<{ value: string; expires_ms: number | string | null }>('SELECT value, expires_ms FROM kv WHERE key = ?', [
          key,
        ]);
        if (!r) return undefined;
        if (r.expires_ms !== null && Number(r.expires_ms) < nowMs) return undefined;
        return r.value;
      },
      async put(key, value, expiresMs) {
        await d.run(
          'INSERT INTO kv (key, value, expires_ms) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_ms = excluded.expires_ms',
          [key, value, expiresMs],
        );
      },
      async lock(key) {
        // A class of its own (the address locks of migration 007 use 1701734764), so the two never meet.
        if (d.dialect === 'postgres') await d.get('SELECT pg_advisory_xact_lock(1701734765, hashtext(?)) AS locked', [key]);
      },
      async delete(key) {
        await d.run('DELETE FROM kv WHERE key = ?', [key]);
      },
      async purge(nowMs) {
        return (await d.run('DELETE FROM kv WHERE expires_ms IS NOT NULL AND expires_ms < ?', [nowMs])).changes;
      },
    },
  };
}
