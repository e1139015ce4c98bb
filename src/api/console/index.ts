// The console's server side: the built app under /console/, a few JSON
// endpoints under /console/api/ for what has no RPC action, and the session
// that lets the browser call the RPC endpoint "/" with the SAME actions and
// rules as a signed SDK request (so a refusal has the same Code and Message).
//
//   GET  /                      (no query, no Authorization) → 302 /console/
//   GET  /console/...           the single-page app (dist/console)
//   POST /console/api/session   sign in with an AccessKey pair → HttpOnly cookie + CSRF token
//   GET  /console/api/session   who am I (+ the CSRF token, the server's ENI limits)
//   DELETE /console/api/session sign out
//   GET  /console/api/regions, /console/api/resource-groups, /console/api/os
//   GET  /console/api/eni/<id>/os-config?os=<osId>
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Caller, ServiceDeps } from '../../service/deps.ts';
import { wireErrors } from '../errors.ts';
import { parseCookies, SESSION_COOKIE } from './cookies.ts';
import { callerOf, findSession } from './sessions.ts';
import { assertCsrf, assertSameOrigin, header, sendError } from './guards.ts';
import { consoleFile } from './static-files.ts';
import { registerConsoleApi } from './json-routes.ts';
import { sendInShape } from '../http-errors.ts';

export interface ConsoleOptions {
  /** the Vite build output; default <repo>/dist/console */
  assetsDir?: string;
}

export interface ConsoleFace {
  /** for PipelineOptions.sessionCaller (which asks only for unsigned requests): a console session's caller, if any */
  sessionCaller(req: FastifyRequest): Promise<Caller | undefined>;
  register(server: FastifyInstance): void;
}

const DEFAULT_ASSETS_DIR = fileURLToPath(new URL('../../../dist/console/', import.meta.url));

export function createConsole(deps: ServiceDeps, log: Logger, opts: ConsoleOptions = {}): ConsoleFace {
  const assetsDir = opts.assetsDir ?? DEFAULT_ASSETS_DIR;
  return {
    async sessionCaller(req) {
      const id = parseCookies(header(req, 'cookie')).get(SESSION_COOKIE);
      if (!id) return undefined;
      const session = await findSession(deps, id);
      if (!session) throw wireErrors.consoleSessionExpired();
      assertSameOrigin(req);
      // Every session-authenticated RPC call needs the token: RPC actions change state on GET as well as POST.
      assertCsrf(req, session);
      return callerOf(session);
    },

    register(server) {
      // "/" is the RPC endpoint; only a bare browser visit (no query, no Authorization) goes to the console.
      // Callback style, not async: this runs before every request, and a promise per request adds up.
      server.addHook('onRequest', (req, reply, done) => {
        const url = req.raw.url ?? '';
        if (req.method === 'GET' && (url === '/' || url === '/?') && !header(req, 'authorization')) {
          reply.redirect('/console/', 302);
          return;
        }
        done();
      });
      registerConsoleApi(server, deps, log);
      const app = async (req: FastifyRequest, reply: FastifyReply) => {
        const raw = req.raw.url ?? '/console/';
        const q = raw.indexOf('?');
        const pathname = q >= 0 ? raw.slice(0, q) : raw;
        // The server ignores trailing slashes, so "/console" and "/console/" meet here: relative asset URLs need the slash.
        if (pathname === '/console') return reply.redirect('/console/' + (q >= 0 ? raw.slice(q) : ''), 302);
        const path = pathname.replace(/^\/console\//, '');
        if (path.startsWith('api/')) {
          return sendError(log, reply, wireErrors.actionNotFound());
        }
        const f = await consoleFile(assetsDir, path);
        // Refusals in the console's JSON shape, like every other answer of the server.
        if (f.status === 404) return sendInShape(reply, wireErrors.consoleFileNotFound());
        if (f.status === 400) return sendInShape(reply, wireErrors.badUrl());
        reply.code(f.status).headers(f.headers);
        return reply.send(f.body);
      };
      server.get('/console', app);
      server.get('/console/*', app);
    },
  };
}
