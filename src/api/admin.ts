// Operator endpoints beside the RPC one: /metrics (Prometheus), /healthz and
// /readyz, and the admin API under /_eniplane/admin/ (a path no RPC request
// uses: RPC is "/" only). The admin API needs a root-account AccessKey sent as
// `Authorization: Bearer <AccessKeyId>:<AccessKeySecret>`: the same secret the
// root already signs with, without making every test tool implement signing.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { ServiceDeps } from '../service/deps.ts';
import { readTx } from '../service/deps.ts';
import type { FaultBook } from '../service/faults.ts';
import { settleAllNow } from '../service/transitions.ts';
import { constantTimeEqual } from './signing/constant-time.ts';
import type { Metrics } from './metrics.ts';

const ADMIN_PREFIX = '/_eniplane/admin';

export interface AdminOptions {
  faults: FaultBook;
  metrics: Metrics;
  logger: Logger;
}

async function isRootKey(deps: ServiceDeps, authorization: string | undefined): Promise<boolean> {
  const m = /^Bearer ([^:\s]+):(\S+)$/.exec(authorization ?? '');
  if (!m) return false;
  return readTx(deps, async (tx) => {
    const key = await tx.accessKeys.get(m[1]);
    if (!key || key.status !== 'Active') return false;
    const account = await tx.accounts.get(key.accountId);
    return account?.name === 'root' && constantTimeEqual(m[2], key.secret);
  });
}

function problem(reply: FastifyReply, status: number, message: string) {
  return reply.code(status).type('application/json').send({ error: message });
}

export function registerAdminRoutes(app: FastifyInstance, deps: ServiceDeps, opts: AdminOptions): void {
  const { faults, metrics } = opts;

  app.get('/metrics', async (_req, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
  app.get('/healthz', async () => ({ status: 'ok' }));
  // Ready when the database answers.
  app.get('/readyz', async (_req, reply) => {
    try {
      await readTx(deps, (tx) => tx.kv.get('eniplane:ready-probe', deps.clock.nowMs()));
      return { status: 'ready' };
    } catch (e) {
      opts.logger.warn({ err: e }, 'readiness probe failed');
      return reply.code(503).send({ status: 'unavailable' });
    }
  });

  const guarded =
    (fn: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>) => async (req: FastifyRequest, reply: FastifyReply) => {
      if (!(await isRootKey(deps, req.headers.authorization)))
        return problem(reply, 401, 'the admin API needs Authorization: Bearer <root AccessKeyId>:<AccessKeySecret>');
      try {
        return await fn(req, reply);
      } catch (e) {
        const issues = (e as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
        if (issues) return problem(reply, 400, issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
        if (e instanceof SyntaxError) return problem(reply, 400, `the body is not JSON: ${e.message}`);
        throw e;
      }
    };
  const bodyOf = (req: FastifyRequest): unknown => (typeof req.body === 'string' && req.body.length > 0 ? JSON.parse(req.body) : {});

  app.get(
    `${ADMIN_PREFIX}/faults`,
    guarded(async () => {
      await faults.refresh();
      return { version: faults.version, seed: faults.seed, rules: faults.rules() };
    }),
  );
  // Body: one rule, or { rules: [...], seed? }.
  app.post(
    `${ADMIN_PREFIX}/faults`,
    guarded(async (req) => {
      const body = bodyOf(req) as { rules?: unknown[]; seed?: number };
      const added = await faults.add((Array.isArray(body.rules) ? body.rules : [body]) as never[], body.seed);
      opts.logger.info({ rules: added.map((r) => r.id) }, 'fault rules added');
      return { added };
    }),
  );
  app.delete(
    `${ADMIN_PREFIX}/faults`,
    guarded(async () => ({ removed: await faults.clear() })),
  );
  app.delete(
    `${ADMIN_PREFIX}/faults/:id`,
    guarded(async (req, reply) => {
      const removed = await faults.clear((req.params as { id: string }).id);
      return removed ? { removed } : problem(reply, 404, 'no such rule');
    }),
  );
  // Completes every pending async transition now (Attaching, Detaching, Deleting, Pending, Starting, Stopping).
  app.post(
    `${ADMIN_PREFIX}/settle`,
    guarded(async () => ({ settled: await settleAllNow(deps) })),
  );
}
