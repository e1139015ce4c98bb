// The audit trail's rows: appended in batches, read newest first by account.
import type { AuditEvent, Tx } from '../store.ts';
import type { SqlDriver } from './driver.ts';

interface AuditRow {
  id: number | string;
  at_ms: number | string;
  account_id: string;
  access_key_id: string;
  source_ip: string;
  action: string;
  resources: string;
  request_id: string;
  result: string;
}

const toEvent = (r: AuditRow): AuditEvent => ({
  atMs: Number(r.at_ms),
  accountId: r.account_id,
  accessKeyId: r.access_key_id,
  sourceIp: r.source_ip,
  action: r.action,
  resources: JSON.parse(r.resources) as string[],
  requestId: r.request_id,
  result: r.result,
  id: Number(r.id),
});

const COLUMNS = '(at_ms, account_id, access_key_id, source_ip, action, resources, request_id, result)';
/** SQLite: rows a statement at most; a batch goes in power-of-two chunks, so at most 7 statements are ever prepared. */
const SQLITE_ROWS_PER_STATEMENT = 64;
const insertSql = new Map<number, string>();
function sqliteInsert(rows: number): string {
  let sql = insertSql.get(rows);
  if (!sql)
    insertSql.set(rows, (sql = `INSERT INTO audit_events ${COLUMNS} VALUES ${Array(rows).fill('(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`));
  return sql;
}

/** JSON text of the resource list: ids and addresses need no escaping, anything else goes through JSON.stringify. */
const PLAIN = /^[\w.:/-]*$/;
function resourcesJson(list: string[]): string {
  if (list.length === 0) return '[]';
  for (const r of list) if (!PLAIN.test(r)) return JSON.stringify(list);
  return `["${list.join('","')}"]`;
}

export function auditRepo(d: SqlDriver): Pick<Tx, 'audit'> {
  return {
    audit: {
      async insert(events) {
        if (events.length === 0) return;
        if (d.dialect === 'postgres') {
          // One statement for the whole batch: on PostgreSQL every statement is a round trip, and the
          // transaction (its WAL, its snapshot) stays open across them.
          await d.run(
            `INSERT INTO audit_events ${COLUMNS} ` +
              'SELECT at_ms, account_id, access_key_id, source_ip, action, resources, request_id, result FROM unnest(' +
              '?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) WITH ORDINALITY ' +
              'AS u(at_ms, account_id, access_key_id, source_ip, action, resources, request_id, result, n) ORDER BY n',
            [
              events.map((e) => e.atMs),
              events.map((e) => e.accountId),
              events.map((e) => e.accessKeyId),
              events.map((e) => e.sourceIp),
              events.map((e) => e.action),
              events.map((e) => resourcesJson(e.resources)),
              events.map((e) => e.requestId),
              events.map((e) => e.result),
            ],
          );
          return;
        }
        // Many rows a statement: one bind-and-step and one sqlite_sequence update per chunk, not per row.
        for (let i = 0; i < events.length;) {
          let rows = SQLITE_ROWS_PER_STATEMENT;
          while (rows > events.length - i) rows >>= 1;
          const params: unknown[] = new Array(rows * 8);
          for (let r = 0; r < rows; r++) {
            const e = events[i + r];
            const o = r * 8;
            params[o] = e.atMs;
            params[o + 1] = e.accountId;
            params[o + 2] = e.accessKeyId;
            params[o + 3] = e.sourceIp;
            params[o + 4] = e.action;
            params[o + 5] = resourcesJson(e.resources);
            params[o + 6] = e.requestId;
            params[o + 7] = e.result;
          }
          await d.run(sqliteInsert(rows), params);
          i += rows;
        }
      },
      async list(f) {
        const where: string[] = [];
        const params: unknown[] = [];
        if (f.accountId !== undefined) {
          where.push('account_id = ?');
          params.push(f.accountId);
        }
        if (f.action !== undefined) {
          where.push('action = ?');
          params.push(f.action);
        }
        if (f.resourceId !== undefined) {
          // the id as one quoted element of the JSON list (exact, case-sensitive on both databases)
          where.push(d.dialect === 'postgres' ? 'strpos(resources, ?) > 0' : 'instr(resources, ?) > 0');
          params.push(JSON.stringify(f.resourceId));
        }
        if (f.result === 'Failed') where.push("result <> 'Success'");
        else if (f.result !== undefined) {
          where.push('result = ?');
          params.push(f.result);
        }
        if (f.before !== undefined) {
          where.push('(at_ms < ? OR (at_ms = ? AND id < ?))');
          params.push(f.before.atMs, f.before.atMs, f.before.id);
        }
        if (f.sinceMs !== undefined) {
          where.push('at_ms >= ?');
          params.push(f.sinceMs);
        }
        if (f.untilMs !== undefined) {
          where.push('at_ms < ?');
          params.push(f.untilMs);
        }
        const sql = `SELECT * FROM audit_events${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY at_ms DESC, id DESC LIMIT ?`;
        return (await d.all<AuditRow>(sql, [...params, f.limit])).map(toEvent);
      },
      async purge(beforeMs, limit) {
        return (
          await d.run('DELETE FROM audit_events WHERE id IN (SELECT id FROM audit_events WHERE at_ms < ? ORDER BY at_ms LIMIT ?)', [
            beforeMs,
            limit,
          ])
        ).changes;
      },
    },
  };
}
