// GET /console/api/audit: the signed-in account's audit trail (service/audit.ts),
// newest first, with the console page's filters and keyset paging. The account
// comes from the session only: no parameter names another.
import type { AuditEvent, AuditFilter } from '../../store/store.ts';
import { wireErrors } from '../errors.ts';
import { ACTIONS } from '../registry.ts';
import { isMutating } from '../../service/audit.ts';

const AUDIT_PAGE_SIZES = [10, 20, 50, 100] as const;
const MAX_FILTER_CHARS = 256;

export interface AuditQuery {
  filter: Omit<AuditFilter, 'accountId'>;
  pageSize: number;
}

/** The actions a filter can name: every mutating action served, and the console's sign-in. */
export const AUDITED_ACTIONS: readonly string[] = [
  ...new Set(['ConsoleSignIn', ...ACTIONS.map((a) => a.action).filter(isMutating)]),
].sort();

const text = (q: Record<string, unknown>, name: string): string | undefined => {
  const v = q[name];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string' || v.length > MAX_FILTER_CHARS) throw wireErrors.invalidParameter(name, 'It must be one short string.');
  return v;
};

const time = (q: Record<string, unknown>, name: string): number | undefined => {
  const v = text(q, name);
  if (v === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(v) ? Date.parse(v) : NaN;
  if (Number.isNaN(ms)) throw wireErrors.invalidParameter(name, 'It must be an ISO 8601 time such as 2026-01-01T00:00:00Z.');
  return ms;
};

/** nextToken: "<atMs>.<id>" of the last event of the page, base64url. */
export const encodeAuditToken = (e: AuditEvent): string => Buffer.from(`${e.atMs}.${e.id}`).toString('base64url');

function decodeToken(v: string): { atMs: number; id: number } {
  const m = /^(\d{1,15})\.(\d{1,15})$/.exec(Buffer.from(v, 'base64url').toString('utf8'));
  if (!m) throw wireErrors.invalidParameter('nextToken', 'It was not issued by this server.');
  return { atMs: Number(m[1]), id: Number(m[2]) };
}

const KNOWN = new Set(['action', 'resourceId', 'result', 'since', 'until', 'pageSize', 'nextToken']);

export function parseAuditQuery(q: Record<string, unknown>): AuditQuery {
  // Strict, as the RPC endpoint is: an unknown name (say, accountId) is refused, not ignored.
  for (const name of Object.keys(q)) if (!KNOWN.has(name)) throw wireErrors.invalidParameter(name, 'The audit trail has no such filter.');
  const size = text(q, 'pageSize');
  const pageSize = size === undefined ? 20 : Number(size);
  if (!(AUDIT_PAGE_SIZES as readonly number[]).includes(pageSize))
    throw wireErrors.invalidParameter('pageSize', `It must be one of ${AUDIT_PAGE_SIZES.join(', ')}.`);
  const action = text(q, 'action');
  if (action !== undefined && !AUDITED_ACTIONS.includes(action)) throw wireErrors.invalidParameter('action', 'No such audited action.');
  const result = text(q, 'result');
  if (result !== undefined && !/^[A-Za-z][\w.]*$/.test(result))
    throw wireErrors.invalidParameter('result', 'It must be Success, Failed or an error Code.');
  const token = text(q, 'nextToken');
  const sinceMs = time(q, 'since');
  const untilMs = time(q, 'until');
  return {
    pageSize,
    filter: {
      action,
      resourceId: text(q, 'resourceId')?.trim() || undefined,
      result,
      sinceMs,
      untilMs,
      before: token === undefined ? undefined : decodeToken(token),
      limit: pageSize + 1,
    },
  };
}

/** The console's view of one event. */
export const auditView = (e: AuditEvent) => ({
  time: new Date(e.atMs).toISOString(),
  accessKeyId: e.accessKeyId,
  sourceIp: e.sourceIp,
  action: e.action,
  resources: e.resources,
  requestId: e.requestId,
  result: e.result,
});
