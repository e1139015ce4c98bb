// The instance metadata service: the IMDS paths of the real one
// (/latest/meta-data/..., hardened-mode tokens) plus eniplane's extensions
// for the agent (/eniplane/v1/interfaces with long-poll, /eniplane/v1/status).
//
// Request stages: identify the instance (source address, or the opt-in
// development header) → check the token → read the snapshot → answer.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { chmodSync, existsSync, rmSync } from 'node:fs';
import type { Logger } from 'pino';
import type { ServiceDeps } from '../service/deps.ts';
import {
  instanceById,
  instanceBySourceAddress,
  issueMetadataToken,
  loadAgentStatus,
  loadInstanceFacts,
  metadataTokenOwner,
  saveAgentStatus,
  METADATA_TOKEN_MAX_TTL_S,
  METADATA_TOKEN_MIN_TTL_S,
  type InstanceFacts,
} from '../service/instance-metadata.ts';
import { lookup, METADATA_VERSIONS, metadataTree } from './tree.ts';
import {
  agentStatusSchema,
  DEFAULT_WAIT_MS,
  INSTANCE_ID_HEADER,
  MAX_WAIT_MS,
  SNAPSHOT_PATH,
  STATUS_PATH,
  TOKEN_HEADER,
  TOKEN_TTL_HEADER,
} from './wire.ts';
import type { Chaos } from '../api/chaos.ts';
import { isDomainError } from '../domain/errors.ts';
import { CommitWatch } from '../service/commit-watch.ts';

/** a long-poll re-reads at least this often even without a commit (a store with a commit counter) */
const SAFETY_REREAD_MS = 1000;
/** ... and at most this often while commits keep coming (other instances', nonces, the audit trail) */
const SPURIOUS_GAP_MS = 25;

export interface MetadataServerOptions {
  logger?: Logger;
  /**
   * Honour X-Eniplane-Instance-Id naming the instance (local development: an
   * agent on the host, or over the Unix socket). Off unless asked for: anyone
   * who can reach the port could then read any instance's metadata.
   */
  trustInstanceHeader?: boolean;
  /** 'required' = hardened-only (HttpTokens=required): GETs without a token answer 403 */
  tokens?: 'optional' | 'required';
  /** how often a long-poll re-reads the database, ms, where the store has no commit counter (PostgreSQL) */
  pollIntervalMs?: number;
  /** injected faults (target "metadata") and their metrics */
  chaos?: Chaos;
}

export interface MetadataServer {
  server: FastifyInstance;
  listen(host: string, port: number): Promise<{ host: string; port: number }>;
  /** listens on a Unix socket (mode 0600: only root, or the owner, may ask) */
  listenSocket(path: string): Promise<string>;
  close(): Promise<void>;
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

function sourceAddress(req: FastifyRequest): string | undefined {
  const a = req.socket.remoteAddress;
  if (!a) return undefined;
  return a.startsWith('::ffff:') ? a.slice(7) : a;
}

/**
 * COMPAT: the 404 page of the real service, as far as we know it: the
 * XHTML page EC2-style metadata services answer (status 404, text/html).
 * Clients look at the status only (cloud-init, Terway).
 */
const NOT_FOUND_PAGE = `<?xml version="1.0" encoding="iso-8859-1"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
         "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
 <head>
  <title>404 - Not Found</title>
 </head>
 <body>
  <h1>404 - Not Found</h1>
 </body>
</html>
`;

function notFound(reply: FastifyReply): FastifyReply {
  return reply.code(404).type('text/html').send(NOT_FOUND_PAGE);
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function createMetadataServer(deps: ServiceDeps, opts: MetadataServerOptions = {}): MetadataServer {
  const log = opts.logger;
  const pollMs = Math.max(10, opts.pollIntervalMs ?? 100);
  const server = Fastify({ logger: false, bodyLimit: 64 * 1024, routerOptions: { ignoreTrailingSlash: false } });
  const closing = new AbortController();
  let socketPath: string | undefined;

  // Readers of one instance share a database read, but only one that started
  // after they arrived: an answer never predates the request (freshness).
  // Each read notes the store's commit counter first: a long-poll waits for a
  // commit after that, so nothing committed since the read can be missed.
  const commits = new CommitWatch(deps.store);
  interface Read {
    startedMs: number;
    counter: number | undefined;
    facts: Promise<InstanceFacts | undefined>;
  }
  const reads = new Map<string, Read>();
  function readOf(instanceId: string, notBeforeMs: number): Read {
    const hit = reads.get(instanceId);
    if (hit && hit.startedMs >= notBeforeMs) return hit;
    const counter = commits.counter();
    const entry: Read = { startedMs: Date.now(), counter, facts: loadInstanceFacts(deps, instanceId) };
    reads.set(instanceId, entry);
    const forget = () => {
      if (reads.get(instanceId) === entry) reads.delete(instanceId);
    };
    entry.facts.then(() => setTimeout(forget, pollMs).unref(), forget);
    return entry;
  }
  const factsOf = (instanceId: string, notBeforeMs: number) => readOf(instanceId, notBeforeMs).facts;

  async function identify(req: FastifyRequest): Promise<string> {
    const named = header(req, INSTANCE_ID_HEADER);
    const r =
      named !== undefined && opts.trustInstanceHeader
        ? await instanceById(deps, named)
        : await instanceBySourceAddress(deps, sourceAddress(req) ?? '');
    if (r.ok) return r.instanceId;
    if (r.reason === 'ambiguous-source') throw new Refusal(403, 'the source address belongs to more than one instance');
    throw new Refusal(
      403,
      named !== undefined && !opts.trustInstanceHeader
        ? `${INSTANCE_ID_HEADER} is only honoured when the server is started with --metadata-trust-instance-header`
        : 'the request does not come from a known instance',
    );
  }

  /** Identifies the caller and checks its token (hardened mode). */
  async function authorize(req: FastifyRequest): Promise<string> {
    const instanceId = await identify(req);
    const token = header(req, TOKEN_HEADER);
    if (token !== undefined) {
      const owner = await metadataTokenOwner(deps, token);
      if (owner !== instanceId) throw new Refusal(401, 'Unauthorized: the token is invalid or expired');
    } else if (opts.tokens === 'required') {
      throw new Refusal(403, 'Forbidden: this instance only accepts requests with a metadata token');
    }
    return instanceId;
  }

  function refuse(reply: FastifyReply, e: unknown): FastifyReply {
    if (e instanceof Refusal) return reply.code(e.status).type('text/plain; charset=utf-8').send(e.message);
    // The database away (restarting, or not yet reachable since the start): a guest's agent retries a 503.
    if (isDomainError(e) && e.code === 'StoreUnavailable')
      return reply.code(503).type('text/plain; charset=utf-8').send('Service Unavailable');
    log?.error({ err: e }, 'metadata request failed');
    return reply.code(500).type('text/plain; charset=utf-8').send('Internal Server Error');
  }

  // Injected faults (service/faults.ts, target "metadata"): an error status, latency, or a cut connection,
  // matched by path prefix and the caller's source address or named instance.
  const chaos = opts.chaos;
  if (chaos?.faults) {
    server.addHook('onRequest', async (req, reply) => {
      if (!chaos.faults!.active) return;
      const values = [sourceAddress(req) ?? '', header(req, INSTANCE_ID_HEADER) ?? ''];
      const rule = chaos.faults!.pick({ target: 'metadata', path: req.url.split('?')[0], values });
      if (!rule) return;
      const effect = rule.effect;
      log?.warn({ rule: rule.id, effect, path: req.url, source: values[0] }, 'metadata fault injected');
      chaos.metrics?.faults.inc({ rule: rule.id, effect: effect.kind, target: 'metadata' });
      if (effect.kind === 'latency') await new Promise((r) => setTimeout(r, effect.ms));
      else if (effect.kind === 'error')
        return reply
          .code(effect.status)
          .type('text/plain; charset=utf-8')
          .send(effect.message ?? 'Internal Server Error');
      else if (effect.kind === 'drop') {
        reply.hijack();
        req.raw.socket.destroy();
        return reply;
      }
    });
  }

  server.put('/latest/api/token', async (req, reply) => {
    try {
      // A token must not be obtainable through a proxy (IMDSv2 rule).
      if (req.headers['x-forwarded-for'] !== undefined) throw new Refusal(403, 'Forbidden: X-Forwarded-For is not accepted');
      const ttlText = header(req, TOKEN_TTL_HEADER) ?? '';
      const ttl = /^\d{1,6}$/.test(ttlText) ? Number(ttlText) : NaN;
      if (!(ttl >= METADATA_TOKEN_MIN_TTL_S && ttl <= METADATA_TOKEN_MAX_TTL_S)) throw new Refusal(400, 'Missing or Invalid Parameters');
      const instanceId = await identify(req);
      const token = await issueMetadataToken(deps, instanceId, ttl);
      return reply.type('text/plain; charset=utf-8').header(TOKEN_TTL_HEADER, String(ttl)).send(token);
    } catch (e) {
      return refuse(reply, e);
    }
  });

  async function imds(req: FastifyRequest, reply: FastifyReply) {
    try {
      const arrivedMs = Date.now();
      const instanceId = await authorize(req);
      const facts = await factsOf(instanceId, arrivedMs);
      if (!facts) throw new Refusal(403, 'the request does not come from a known instance');
      const path = req.url.split('?')[0]!;
      const found = lookup(metadataTree(facts), path);
      if (found.kind === 'missing') return notFound(reply);
      const type = path.endsWith('/document') || (found.kind === 'leaf' && found.json) ? 'application/json' : 'text/plain; charset=utf-8';
      return reply.type(type).send(found.body);
    } catch (e) {
      return refuse(reply, e);
    }
  }
  server.get('/', imds);
  for (const v of METADATA_VERSIONS) {
    server.get(`/${v}`, imds);
    server.get(`/${v}/*`, imds);
  }
  // any other path or method: the IMDS 404 page, not fastify's JSON
  server.setNotFoundHandler((_req, reply) => notFound(reply));

  server.get(SNAPSHOT_PATH, async (req, reply) => {
    try {
      let notBeforeMs = Date.now();
      const instanceId = await authorize(req);
      const q = req.query as Record<string, string | undefined>;
      const wait = q.wait;
      const timeoutMs = Math.min(MAX_WAIT_MS, Math.max(0, Number.parseInt(q.timeoutMs ?? '', 10) || DEFAULT_WAIT_MS));
      // The caller going away, or the server closing, ends the wait.
      const gone = new AbortController();
      reply.raw.once('close', () => gone.abort());
      const stop = AbortSignal.any([gone.signal, closing.signal]);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const read = readOf(instanceId, notBeforeMs);
        const facts = await read.facts;
        if (!facts) throw new Refusal(403, 'the request does not come from a known instance');
        const left = deadline - Date.now();
        if (wait === undefined || facts.metadata.version !== wait || left <= 0 || stop.aborted) {
          return reply.type('application/json').header('cache-control', 'no-store').send(facts.metadata);
        }
        if (commits.supported) {
          // woken by the next commit (any process), at once; under a stream of
          // commits a waiter re-reads at most every SPURIOUS_GAP_MS
          const gap = read.startedMs + SPURIOUS_GAP_MS - Date.now();
          if (gap > 0) await sleep(Math.min(gap, left), stop);
          await commits.changed(read.counter, Math.min(SAFETY_REREAD_MS, deadline - Date.now()), stop);
          notBeforeMs = Date.now();
          continue;
        }
        await sleep(Math.min(pollMs, left), stop);
        // while waiting, a read another waiter started half an interval ago is fresh enough
        notBeforeMs = Date.now() - pollMs / 2;
      }
    } catch (e) {
      return refuse(reply, e);
    }
  });

  server.put(STATUS_PATH, async (req, reply) => {
    try {
      const instanceId = await authorize(req);
      const parsed = agentStatusSchema.safeParse(req.body);
      if (!parsed.success)
        throw new Refusal(400, `invalid status report: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      await saveAgentStatus(deps, instanceId, parsed.data);
      return reply.code(204).send();
    } catch (e) {
      return refuse(reply, e);
    }
  });

  server.get(STATUS_PATH, async (req, reply) => {
    try {
      const instanceId = await authorize(req);
      const status = await loadAgentStatus(deps, instanceId);
      if (!status) return notFound(reply);
      return reply.type('application/json').send(status);
    } catch (e) {
      return refuse(reply, e);
    }
  });

  server.addHook('preClose', (done) => {
    closing.abort();
    done();
  });

  return {
    server,
    async listen(host, port) {
      await server.listen({ host, port });
      const a = server.server.address();
      return typeof a === 'object' && a ? { host: a.address, port: a.port } : { host, port };
    },
    async listenSocket(path) {
      if (existsSync(path)) rmSync(path); // a stale socket from a previous run
      await server.listen({ path });
      chmodSync(path, 0o600);
      socketPath = path;
      return path;
    },
    async close() {
      await server.close();
      if (socketPath && existsSync(socketPath)) rmSync(socketPath, { force: true });
    },
  };
}
