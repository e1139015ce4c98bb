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

export function auditRepo(d: SqlDriver): Pick<Tx, 'audit'> {
  return {
    audit: {
      async insert(events) {
        for (const e of events) {
          await d.run(
            'INSERT INTO audit_events (at_ms, account_id, access_key_id, source_ip, action, resources, request_id, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
            [e.atMs, e.accountId, e.accessKeyId, e.sourceIp, e.action, JSON.stringify(e.resources), e.requestId, e.result],
          );
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
