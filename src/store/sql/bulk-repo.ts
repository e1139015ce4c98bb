// Bulk loading for benchmarks that need a large world in minutes (bench/scale):
// many rows a statement (multi-row VALUES, the one form both dialects share),
// none of the per-row work of the use cases — no address locks, no ON CONFLICT,
// no security-group counters (the caller adjusts those once per group; the
// ENI counters move here, a statement per account). Only
// into a store no one else is writing; a duplicate fails the transaction.
import type { Tx } from '../store.ts';
import type { SqlDriver } from './driver.ts';
import { adjustEniCount, ENI_COLUMNS, ENI_COLUMN_COUNT, eniValues } from './eni-repo.ts';
import { nextSeq } from './misc-repos.ts';

/** Rows a statement: a few thousand parameters, well under SQLite's 32,766 and PostgreSQL's 65,535. */
const ROWS_PER_STATEMENT = 500;

async function insertMany(d: SqlDriver, table: string, columns: string, width: number, rows: unknown[][]): Promise<void> {
  const one = `(${Array.from({ length: width }, () => '?').join(',')})`;
  for (let at = 0; at < rows.length; at += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(at, at + ROWS_PER_STATEMENT);
    await d.run(`INSERT INTO ${table} (${columns}) VALUES ${Array.from({ length: chunk.length }, () => one).join(',')}`, chunk.flat());
  }
}

export function bulkRepo(d: SqlDriver): Pick<Tx, 'bulk'> {
  return {
    bulk: {
      async enis(enis) {
        await insertMany(d, 'enis', ENI_COLUMNS, ENI_COLUMN_COUNT, enis.map(eniValues));
        const counts = new Map<string, { accountId: string; regionId: string; n: number }>();
        for (const e of enis) {
          const k = `${e.accountId}\n${e.regionId}`;
          const c = counts.get(k) ?? counts.set(k, { accountId: e.accountId, regionId: e.regionId, n: 0 }).get(k)!;
          c.n++;
        }
        for (const c of counts.values()) await adjustEniCount(d, c.accountId, c.regionId, c.n);
        await insertMany(
          d,
          'eni_security_groups',
          'eni_id, security_group_id, position',
          3,
          enis.flatMap((e) => e.securityGroupIds.map((sg, i) => [e.id, sg, i])),
        );
        await insertMany(
          d,
          'tags',
          'resource_id, key, value, resource_type, account_id, region_id',
          6,
          enis.flatMap((e) => e.tags.map((t) => [e.id, t.key, t.value, 'eni', e.accountId, e.regionId])),
        );
      },
      async addresses(rows) {
        await insertMany(
          d,
          'private_ips',
          'vswitch_id, address, family, ipv4_num, eni_id, is_primary, seq',
          7,
          rows.map((r) => [r.vSwitchId, r.address, r.family, r.ipv4Num, r.eniId, r.primary ? 1 : 0, nextSeq()]),
        );
      },
    },
  };
}
