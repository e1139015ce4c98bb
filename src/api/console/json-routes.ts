// The console's JSON endpoints under /console/api/: signing in and out, and the
// few things the RPC actions do not offer (resource groups, the regions with
// their zones in one call, the OS configuration of an ENI). Everything about
// resources themselves goes through the RPC endpoint with the session.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { findAccessKey } from '../../service/accounts.ts';
import type { ServiceDeps } from '../../service/deps.ts';
import { listResourceGroups } from '../../service/resource-groups.ts';
import { listAudit, recordAudit } from '../../service/audit.ts';
import { AUDITED_ACTIONS, auditView, encodeAuditToken, parseAuditQuery } from './audit-query.ts';
import { newRequestId } from '../request-id.ts';
import { wireErrors } from '../errors.ts';
import { sessionCookie } from './cookies.ts';
import { assertCsrf, assertSameOrigin, header, sendError, sessionOf } from './guards.ts';
import { osCatalog, osConfigFor } from './os-config.ts';
import { callerOf, createSession, deleteSession, sameSecret, SESSION_TTL_MS, type Session } from './sessions.ts';

const json = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

/** HTTPS as seen by the browser (directly or through a proxy that says so): only then is the cookie marked Secure. */
function overHttps(req: FastifyRequest): boolean {
  return req.protocol === 'https' || header(req, 'x-forwarded-proto') === 'https';
}

function readJson(req: FastifyRequest): Record<string, unknown> {
  // Only application/json: a cross-site HTML form cannot send it, so signing in cannot be forged either.
  if (!String(header(req, 'content-type') ?? '').startsWith('application/json')) {
    throw wireErrors.consoleNotJson();
  }
  try {
    const v: unknown = JSON.parse(typeof req.body === 'string' ? req.body : '');
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    /* fall through */
  }
  throw wireErrors.consoleBodyNotObject();
}

async function sessionView(deps: ServiceDeps, s: Session) {
  const account = await deps.store.transaction((tx) => tx.accounts.get(s.accountId), { readOnly: true });
  return {
    accountId: s.accountId,
    accountName: account?.name ?? '',
    accessKeyId: s.accessKeyId,
    csrfToken: s.csrfToken,
    expiresAt: new Date(s.expiresMs).toISOString(),
    // The server's configured ENI limits (they are flags): the console shows them and checks against them.
    limits: {
      availableEniMaxIpv4: deps.limits.availableEniMaxIpv4,
      availableEniMaxIpv6: deps.limits.availableEniMaxIpv6,
      maxAddressesPerRequest: deps.limits.maxAddressesPerRequest,
      securityGroupsPerEni: deps.limits.securityGroupsPerEni,
    },
  };
}

export function registerConsoleApi(server: FastifyInstance, deps: ServiceDeps, log: Logger): void {
  /** A handler that needs a signed-in session (and the CSRF token when it changes something). */
  const authed =
    <T>(fn: (req: FastifyRequest, s: { id: string; session: Session }) => Promise<T>, opts: { changes?: boolean } = {}) =>
    async (req: FastifyRequest, reply: FastifyReply) => {
      try {
        const s = await sessionOf(deps, req);
        if (!s) throw wireErrors.consoleSessionExpired();
        if (opts.changes) {
          assertSameOrigin(req);
          assertCsrf(req, s.session);
        }
        const body = await fn(req, s);
        reply.headers(json);
        return body;
      } catch (e) {
        return sendError(log, reply, e);
      }
    };

  server.post('/console/api/session', async (req, reply) => {
    // audit: a sign-in with a known key is recorded in that key's account, succeeded or not
    let known: { accountId: string; accessKeyId: string } | undefined;
    let result = 'Success';
    const requestId = newRequestId();
    try {
      assertSameOrigin(req);
      const body = readJson(req);
      const id = typeof body.accessKeyId === 'string' ? body.accessKeyId.trim() : '';
      const secret = typeof body.accessKeySecret === 'string' ? body.accessKeySecret.trim() : '';
      if (!id) throw wireErrors.missingParameter('AccessKeyId');
      if (!secret) throw wireErrors.missingParameter('AccessKeySecret');
      const key = await findAccessKey(deps, id);
      // The same answers the RPC endpoint gives for an unknown key or a wrong secret.
      if (!key) throw wireErrors.accessKeyNotFound();
      known = { accountId: key.accountId, accessKeyId: key.id };
      if (!sameSecret(secret, key.secret)) throw wireErrors.consoleSecretMismatch();
      const { id: sessionId, session } = await createSession(deps, key);
      log.info({ accountId: key.accountId, accessKeyId: key.id }, 'console sign-in');
      reply
        .code(201)
        .headers(json)
        .header('set-cookie', sessionCookie(sessionId, { maxAgeSeconds: Math.floor(SESSION_TTL_MS / 1000), secure: overHttps(req) }));
      return await sessionView(deps, session);
    } catch (e) {
      const answer = sendError(log, reply, e);
      result = answer.Code;
      return answer;
    } finally {
      if (known)
        recordAudit(deps, {
          atMs: deps.clock.nowMs(),
          ...known,
          sourceIp: req.ip,
          action: 'ConsoleSignIn',
          resources: [],
          requestId,
          result,
        });
    }
  });

  server.get(
    '/console/api/session',
    authed(async (_req, s) => sessionView(deps, s.session)),
  );

  server.delete('/console/api/session', async (req, reply) => {
    try {
      const s = await sessionOf(deps, req);
      if (s) {
        assertSameOrigin(req);
        assertCsrf(req, s.session);
        await deleteSession(deps, s.id);
      }
      // Signing out of a session that is already gone is fine: the cookie is cleared either way.
      reply.headers(json).header('set-cookie', sessionCookie('', { maxAgeSeconds: 0, secure: overHttps(req) }));
      return { signedOut: true };
    } catch (e) {
      return sendError(log, reply, e);
    }
  });

  server.get(
    '/console/api/regions',
    authed(async () => ({
      defaultRegionId: deps.defaultRegionId,
      regions: deps.regions.map((r) => ({
        regionId: r.id,
        localName: r.localName,
        zones: r.zones.map((z) => ({ zoneId: z.id, localName: z.localName })),
      })),
    })),
  );

  server.get(
    '/console/api/resource-groups',
    authed(async (_req, s) => ({
      resourceGroups: (await listResourceGroups(deps, callerOf(s.session))).map((g) => ({
        resourceGroupId: g.id,
        name: g.name,
        displayName: g.displayName,
        isDefault: g.isDefault,
      })),
    })),
  );

  // The signed-in account's audit trail only: the account comes from the session, never from the query.
  server.get(
    '/console/api/audit',
    authed(async (req, s) => {
      const { filter, pageSize } = parseAuditQuery(req.query as Record<string, unknown>);
      const events = await listAudit(deps, callerOf(s.session), filter);
      const page = events.slice(0, pageSize);
      return {
        events: page.map(auditView),
        nextToken: events.length > pageSize ? encodeAuditToken(page[page.length - 1]) : '',
        actions: AUDITED_ACTIONS,
      };
    }),
  );

  server.get(
    '/console/api/os',
    authed(async () => ({ os: osCatalog() })),
  );

  server.get(
    '/console/api/eni/:eniId/os-config',
    authed(async (req, s) => {
      const q = req.query as Record<string, string | undefined>;
      const { eniId } = req.params as { eniId: string };
      if (!q.os) throw wireErrors.missingParameter('os');
      return osConfigFor(deps, callerOf(s.session), {
        regionId: q.regionId || undefined,
        eniId,
        osId: q.os,
        interfaceName: q.interface || undefined,
      });
    }),
  );
}
