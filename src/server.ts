// `eniplane serve` as a function: store → services → HTTP, plus the background
// settler for async transitions and the purge of expired nonces/tokens.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pino, { type Logger } from 'pino';
import { limitsOf, type ServeConfig } from './cli/config.ts';
import { createApp, type App } from './api/app.ts';
import { openStore } from './store/open-store.ts';
import { createDeps } from './service/create-deps.ts';
import { ensureRootAccount, type RootCredentials } from './service/accounts.ts';
import { startSettler } from './service/transitions.ts';
import type { ServiceDeps } from './service/deps.ts';
import { startPurger } from './service/purge.ts';
import type { Region } from './domain/model.ts';
import { createMetadataServer, type MetadataServer } from './metadata/server.ts';

export interface RunningServer {
  endpoint: string;
  host: string;
  port: number;
  credentials: RootCredentials;
  credentialsFile: string;
  deps: ServiceDeps;
  app: App;
  /** where the instance metadata service listens ("host:port" or a socket path), when asked to */
  metadataEndpoints: string[];
  close(): Promise<void>;
}

function rootKeyFromEnv(env: NodeJS.ProcessEnv): { id: string; secret: string } | undefined {
  const id = env.ENIPLANE_ROOT_ACCESS_KEY_ID;
  const secret = env.ENIPLANE_ROOT_ACCESS_KEY_SECRET;
  return id && secret ? { id, secret } : undefined;
}

export async function startServer(config: ServeConfig, env: NodeJS.ProcessEnv = process.env, logger?: Logger): Promise<RunningServer> {
  const log = logger ?? pino({ level: config.logLevel, base: { svc: 'eniplane' } });
  const dataDir = resolve(config.data);
  mkdirSync(dataDir, { recursive: true });
  const regions = config.regions ? (JSON.parse(readFileSync(config.regions, 'utf8')) as Region[]) : undefined;
  const store = await openStore(config.database, dataDir);
  const deps = createDeps(store, {
    regions,
    labMode: config.labMode,
    limits: limitsOf(config),
  });
  const credentials = await ensureRootAccount(deps, rootKeyFromEnv(env));
  const credentialsFile = join(dataDir, 'credentials.json');
  if (!existsSync(credentialsFile) || credentials.created) {
    writeFileSync(credentialsFile, JSON.stringify({ accountId: credentials.accountId, accessKeyId: credentials.accessKeyId, accessKeySecret: credentials.accessKeySecret }, null, 2) + '\n', { mode: 0o600 });
    chmodSync(credentialsFile, 0o600);
  }

  const app = createApp(deps, { logger: log, loose: config.loose, checkNonce: true, console: {} });
  // With immediate transitions nothing is ever due: a slow poll only catches what a dead process left.
  const settleEveryMs = config.transitionMs === 0 ? 1000 : Math.max(10, Math.min(100, Math.floor(config.transitionMs / 4)));
  const stopSettler = startSettler(deps, settleEveryMs, (e) => log.error({ err: e }, 'settling transitions failed'));
  // Every second, in bounded batches (service/purge.ts): what expires under load never piles up into one long transaction.
  const stopPurger = startPurger(deps, 1000, (e) => log.error({ err: e }, 'purge failed'));

  const bound = await app.listen(config.host, config.port);
  const metadata: MetadataServer[] = [];
  const metadataEndpoints: string[] = [];
  const metadataOpts = { logger: log, trustInstanceHeader: config.metadataTrustInstanceHeader, tokens: config.metadataTokens };
  try {
    if (config.metadataListen) {
      const m = createMetadataServer(deps, metadataOpts);
      metadata.push(m);
      const at = config.metadataListen.lastIndexOf(':');
      const b = await m.listen(config.metadataListen.slice(0, at).replace(/^\[(.*)\]$/, '$1'), Number(config.metadataListen.slice(at + 1)));
      metadataEndpoints.push(`${b.host.includes(':') ? `[${b.host}]` : b.host}:${b.port}`);
    }
    if (config.metadataSocket) {
      const m = createMetadataServer(deps, metadataOpts);
      metadata.push(m);
      metadataEndpoints.push(await m.listenSocket(resolve(config.metadataSocket)));
    }
  } catch (e) {
    // the metadata port is taken (or the socket path unusable): do not leave the API half up
    stopSettler();
    stopPurger();
    for (const m of metadata) await m.close().catch(() => {});
    await app.close();
    await store.close();
    throw e;
  }
  const hostForUrl = bound.host.includes(':') ? `[${bound.host}]` : bound.host;
  return {
    endpoint: `${hostForUrl}:${bound.port}`, host: bound.host, port: bound.port, credentials, credentialsFile, deps, app, metadataEndpoints,
    async close() {
      stopSettler();
      stopPurger();
      for (const m of metadata) await m.close();
      await app.close();
      await store.close();
    },
  };
}
