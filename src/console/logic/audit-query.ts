// The audit page's query: its filters as the /console/api/audit query string,
// and the page stack of keyset paging (a page's token is where the previous ended).

export interface AuditFilters {
  action?: string;
  resourceId?: string;
  /** 'Success' or 'Failed' */
  result?: string;
  /** datetime-local values (the browser's time zone) */
  from?: string;
  to?: string;
}

/** A datetime-local value ("2026-01-01T10:00") as ISO UTC; undefined when empty or not a time. */
function localToIso(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const ms = new Date(v).getTime();
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

export function auditPath(f: AuditFilters, pageSize: number, token: string): string {
  const q = new URLSearchParams();
  if (f.action) q.set('action', f.action);
  if (f.resourceId?.trim()) q.set('resourceId', f.resourceId.trim());
  if (f.result) q.set('result', f.result);
  const since = localToIso(f.from);
  const until = localToIso(f.to);
  if (since) q.set('since', since);
  if (until) q.set('until', until);
  q.set('pageSize', String(pageSize));
  if (token) q.set('nextToken', token);
  return `audit?${q.toString()}`;
}
