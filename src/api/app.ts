// Assembles the HTTP server: the RPC endpoint at "/", and whatever other faces
// (console, metadata) are registered by the caller. Nothing happens at import
// time; createApp returns { listen, close }.
import { parse as parseQuery } from 'node:querystring';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ServiceDeps } from '../service/deps.ts';
import { registerRpcRoutes, type PipelineOptions } from './pipeline.ts';
import { createConsole, type ConsoleOptions } from './console/index.ts';
import { registerAdminRoutes } from './admin.ts';
import { httpErrorOptions, registerHttpErrors } from './http-errors.ts';
import { registerGracefulClose } from './graceful-close.ts';

export interface AppOptions extends PipelineOptions {
  logger: Logger;
  /** serve the web console at /console/ (and its session on the RPC endpoint) */
  console?: ConsoleOptions;
}

export interface App {
  server: FastifyInstance;
  listen(host: string, port: number): Promise<{ host: string; port: number }>;
  /** stops accepting, finishes what is in flight (at most `drainMs`, default 10 s), then resolves */
  close(drainMs?: number): Promise<void>;
}

const BODY_LIMIT_BYTES = 1024 * 1024;
const DEFAULT_DRAIN_MS = 10_000;

export function createApp(deps: ServiceDeps, opts: AppOptions): App {
  const server = Fastify({
    // Requests are logged by the pipeline (with the RequestId, never the signature).
    logger: false,
    bodyLimit: BODY_LIMIT_BYTES,
    // Every answer in Alibaba's shape, parser errors and HEAD included (http-errors.ts).
    ...httpErrorOptions(opts.logger),
    keepAliveTimeout: 65_000,
    // The SDKs send repeated-looking keys like "Tag.1.Key"; nothing in the query is treated specially.
    routerOptions: {
      ignoreTrailingSlash: true,
      // RPC queries (the long signed ones) are read once, by the pipeline, from the raw URL; only
      // the console's few GET routes use request.query.
      querystringParser: (qs: string) => (qs.length === 0 || qs.includes('Signature=') || qs.includes('Action=') ? {} : parseQuery(qs)),
    },
  });
  // Keep bodies as text: RPC form bodies are decoded by the pipeline, and ACS3 hashes the raw body.
  server.removeAllContentTypeParsers();
  server.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  registerHttpErrors(server, opts.logger, { bodyLimit: BODY_LIMIT_BYTES });
  const closer = registerGracefulClose(server);
  const consoleFace = opts.console ? createConsole(deps, opts.logger, { chaos: opts.chaos, ...opts.console }) : undefined;
  registerRpcRoutes(
    server,
    deps,
    opts.logger,
    consoleFace && !opts.sessionCaller ? { ...opts, sessionCaller: consoleFace.sessionCaller } : opts,
  );
  consoleFace?.register(server);
  // /metrics, /healthz, /readyz and the admin API (faults, settle) when the server runs with them.
  if (opts.chaos?.faults && opts.chaos.metrics)
    registerAdminRoutes(server, deps, { faults: opts.chaos.faults, metrics: opts.chaos.metrics, logger: opts.logger });
  return {
    server,
    async listen(host, port) {
      await server.listen({ host, port });
      const a = server.server.address();
      return typeof a === 'object' && a ? { host: a.address, port: a.port } : { host, port };
    },
    close: (drainMs = DEFAULT_DRAIN_MS) => closer.close(drainMs),
  };
}
