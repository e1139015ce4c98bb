// Request guards shared by the console's endpoints and its RPC session caller:
// session lookup from the cookie, the CSRF header, the Origin check, and
// errors in the RPC error shape.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { isDomainError } from '../../domain/errors.ts';
import { newRequestId } from '../request-id.ts';
import type { ServiceDeps } from '../../service/deps.ts';
import { toWireError, wireErrors } from '../errors.ts';
import { WireError } from '../wire-error.ts';
import { parseCookies, SESSION_COOKIE } from './cookies.ts';
import { findSession, sameSecret, type Session } from './sessions.ts';

export function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Origin, when the browser sends it, must be this server (defence in depth next to SameSite=Strict and the CSRF header). */
export function assertSameOrigin(req: FastifyRequest): void {
  const origin = header(req, 'origin');
  if (origin === undefined) return;
  let o: URL;
  try {
    o = new URL(origin);
  } catch {
    throw wireErrors.consoleCrossOrigin();
  }
  // Behind a reverse proxy the browser's host is in X-Forwarded-Host. The Host header has no scheme:
  // read it with the Origin's, so default ports (":80", ":443") compare equal.
  const hosts = [header(req, 'host'), header(req, 'x-forwarded-host')?.split(',')[0]?.trim()].filter((x): x is string => !!x);
  const same = hosts.some((h) => {
    try {
      return new URL(`${o.protocol}//${h}`).host === o.host;
    } catch {
      return false;
    }
  });
  if (!same) throw wireErrors.consoleCrossOrigin();
}

export async function sessionOf(deps: ServiceDeps, req: FastifyRequest): Promise<{ id: string; session: Session } | undefined> {
  const id = parseCookies(header(req, 'cookie')).get(SESSION_COOKIE);
  if (!id) return undefined;
  const session = await findSession(deps, id);
  return session ? { id, session } : undefined;
}

export function assertCsrf(req: FastifyRequest, session: Session): void {
  const token = header(req, 'x-csrf-token');
  if (!token || !sameSecret(token, session.csrfToken)) throw wireErrors.consoleCsrfInvalid();
}

/** Errors of the JSON endpoints, in the RPC error shape so the console shows them the same way. */
export function sendError(log: Logger, reply: FastifyReply, e: unknown) {
  const requestId = newRequestId();
  let wire: WireError;
  if (e instanceof WireError) wire = e;
  else if (isDomainError(e)) wire = toWireError(e);
  else {
    log.error({ err: e, requestId }, 'console internal error');
    wire = wireErrors.internalError();
  }
  reply
    .code(wire.status)
    .header('content-type', 'application/json; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff');
  return { RequestId: requestId, Code: wire.code, Message: wire.message };
}
