// What `eniplane state export` walks and what import checks first: every
// (account, region) that holds a resource. Each resource kind is then read
// through its own repository, so the snapshot sees exactly what the API sees.
import type { Tx } from '../store.ts';
import type { SqlDriver } from './driver.ts';

const TABLES = ['vpcs', 'vswitches', 'security_groups', 'instances', 'enis'];

export function stateRepo(d: SqlDriver): Pick<Tx, 'state'> {
  return {
    state: {
      async scopes() {
        const union = TABLES.map((t) => `SELECT account_id, region_id FROM ${t}`).join(' UNION ');
        const rows = await d.all<{ account_id: string; region_id: string }>(`${union} ORDER BY account_id, region_id`);
        return rows.map((r) => ({ accountId: r.account_id, regionId: r.region_id }));
      },
    },
  };
}
