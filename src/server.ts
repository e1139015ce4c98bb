// `eniplane serve` as a function: store → services → HTTP, plus the background
// settler for async transitions and the purge of expired nonces/tokens.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pino, { type Logger } from 'pino';
import { limitsOf, type ServeConfig } from './cli/config.ts';
import { createApp, type App } from './api/app.ts';
import { openStoreWaiting } from './store/open-store.ts';
import { DeferredStore } from './store/deferred-store.ts';
import type { Store } from './store/store.ts';
import { createDeps } from './service/create-deps.ts';
import { ensureRootAccount, type RootCredentials } from './service/accounts.ts';
import { startSettler } from './service/transitions.ts';
import type { ServiceDeps } from './service/deps.ts';
import { startPurger } from './service/purge.ts';
import { startAuditWriter } from './service/audit.ts';
import type { Region } from './domain/model.ts';
import { createMetadataServer, type MetadataServer } from './metadata/server.ts';
import { FaultBook, faultSetSchema } from './service/faults.ts';
import { Throttle, throttleProfileSchema } from './service/throttle.ts';
import { createMetrics } from './api/metrics.ts';
import { runEvery } from './service/periodic.ts';
import { ConfigError } from './cli/config.ts';

export interface RunningServer {
  endpoint: string;
  host: string;
  port: number;
  /** the root AccessKey pair (once `ready` resolved) */
  readonly credentials: RootCredentials;
  /** resolves when the database answered and the start finished (at once unless PostgreSQL was unreachable at start) */
  ready: Promise<void>;
  /** PostgreSQL was unreachable at start and has not answered yet when startServer returned */
  waitingForDatabase: boolean;
  credentialsFile: string;
  deps: ServiceDeps;
  app: App;
  /** the injected-fault rules, as this process knows them */
  faults: FaultBook;
  /** where the instance metadata service listens ("host:port" or a socket path), when asked to */
  metadataEndpoints: string[];
  close(): Promise<void>;
}

function rootKeyFromEnv(env: NodeJS.ProcessEnv): { id: string; secret: string } | undefined {
  const id = env.ENIPLANE_ROOT_ACCESS_KEY_ID;
  const secret = env.ENIPLANE_ROOT_ACCESS_KEY_SECRET;
  return id && secret ? { id, secret } : undefined;
}

/** backgroundCheckpoints: false for short-lived servers (the test harness): no worker thread to start and stop */
export async function startServer(
  config: ServeConfig,
  env: NodeJS.ProcessEnv = process.env,
  logger?: Logger,
  store0: { backgroundCheckpoints?: boolean } = {},
): Promise<RunningServer> {
  const log = logger ?? pino({ level: config.logLevel, base: { svc: 'eniplane' } });
  const dataDir = resolve(config.data);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const regions = config.regions ? (JSON.parse(readFileSync(config.regions, 'utf8')) as Region[]) : undefined;
  // PostgreSQL unreachable at start: serve anyway (every call ServiceUnavailable, /readyz not ready)
  // and keep trying with bounded back-off; the rest of the start runs once it answers.
  const { store, connected } = await openStoreWaiting(config.database, dataDir, {
    ...store0,
    onRetry: (attempt, retryInMs, err) =>
      log.warn(
        { attempt, retryInMs, err: (err as Error)?.message ?? String(err) },
        'PostgreSQL unreachable: answering ServiceUnavailable, retrying the connection',
      ),
  });
  const deps = createDeps(store, {
    regions,
    labMode: config.labMode,
    limits: limitsOf(config),
  });
  const credentialsFile = join(dataDir, 'credentials.json');
  const faults = new FaultBook(deps);
  const throttle = config.throttle
    ? new Throttle(deps, readJson(config.throttle === 'ecs' ? BUNDLED_THROTTLE : config.throttle, throttleProfileSchema))
    : undefined;
  const faultSet = config.faults ? readJson(config.faults, faultSetSchema) : undefined;
  const metrics = createMetrics(deps);
  const chaos = { faults, throttle, metrics };
  const background: (() => void)[] = [];
  let stopAudit: () => Promise<void> = async () => {};
  let credentials: RootCredentials | undefined;
  /** credentials.json written from the env key before the database answered (no account id yet) */
  let provisional = false;

  /** The start's steps on a database that answers: the root account, fault rules, the background loops. */
  const bringUp = async (real: Store): Promise<void> => {
    credentials = await ensureRootAccount({ ...deps, store: real }, rootKeyFromEnv(env));
    if (!existsSync(credentialsFile) || credentials.created || provisional) {
      writeFileSync(
        credentialsFile,
        JSON.stringify(
          { accountId: credentials.accountId, accessKeyId: credentials.accessKeyId, accessKeySecret: credentials.accessKeySecret },
          null,
          2,
        ) + '\n',
        { mode: 0o600 },
      );
      chmodSync(credentialsFile, 0o600);
    }
    if (store instanceof DeferredStore) store.openGate();
    if (faultSet) await faults.replace(faultSet);
    else await faults.refresh();
    // Rules changed through another server on the same database arrive within this interval.
    background.push(
      runEvery(
        500,
        () => faults.refresh(),
        (e) => log.error({ err: e }, 'reading fault rules failed'),
      ),
    );
    // With immediate transitions nothing is ever due: a slow poll only catches what a dead process left.
    const settleEveryMs = config.transitionMs === 0 ? 1000 : Math.max(10, Math.min(100, Math.floor(config.transitionMs / 4)));
    background.push(startSettler(deps, settleEveryMs, (e) => log.error({ err: e }, 'settling transitions failed')));
    // Every second, in bounded batches (service/purge.ts): what expires under load never piles up into one long transaction.
    background.push(startPurger(deps, 1000, (e) => log.error({ err: e }, 'purge failed')));
    // The audit trail is written in batches off the request path, and flushed on close (service/audit.ts).
    stopAudit = startAuditWriter(deps, (e) => log.error({ err: e }, 'writing the audit trail failed'));
  };
  let ready: Promise<void>;
  if (connected === undefined) {
    await bringUp(store);
    ready = Promise.resolve();
  } else {
    // An env root key is known before the database: written now, so tools that read credentials.json can start.
    const given = rootKeyFromEnv(env);
    if (given && !existsSync(credentialsFile)) {
      writeFileSync(credentialsFile, JSON.stringify({ accessKeyId: given.id, accessKeySecret: given.secret }, null, 2) + '\n', {
        mode: 0o600,
      });
      provisional = true;
    }
    ready = connected.then(async (real) => {
      await bringUp(real);
      log.warn('PostgreSQL connected: migrations applied, serving');
    });
    ready.catch((e: unknown) => log.error({ err: e }, 'PostgreSQL: giving up'));
  }

  const app = createApp(deps, { logger: log, loose: config.loose, checkNonce: true, console: {}, chaos });
  const bound = await app.listen(config.host, config.port);
  const metadata: MetadataServer[] = [];
  const metadataEndpoints: string[] = [];
  const metadataOpts = { logger: log, trustInstanceHeader: config.metadataTrustInstanceHeader, tokens: config.metadataTokens, chaos };
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
    for (const stop of background) stop();
    for (const m of metadata) await m.close().catch(() => {});
    await app.close();
    await stopAudit();
    await store.close();
    throw e;
  }
  const hostForUrl = bound.host.includes(':') ? `[${bound.host}]` : bound.host;
  return {
    endpoint: `${hostForUrl}:${bound.port}`,
    host: bound.host,
    port: bound.port,
    get credentials(): RootCredentials {
      if (!credentials) throw new Error('the root credentials are known once the database answers (await ready)');
      return credentials;
    },
    ready,
    waitingForDatabase: connected !== undefined,
    credentialsFile,
    deps,
    app,
    metadataEndpoints,
    faults,
    async close() {
      for (const stop of background) stop();
      for (const m of metadata) await m.close();
      await app.close();
      await stopAudit();
      await store.close();
    },
  };
}

const BUNDLED_THROTTLE = new URL('../profiles/throttle-ecs.json', import.meta.url).pathname;

/** A JSON settings file, validated; a bad one is the user's error, reported before a port is bound. */
function readJson<T>(
  file: string,
  schema: {
    safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  },
): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(`cannot read ${file}: ${(e as Error).message}`);
  }
  const r = schema.safeParse(raw);
  if (!r.success)
    throw new ConfigError(`invalid ${file}:\n${r.error.issues.map((i) => `  ${i.path.join('.') || '(file)'}: ${i.message}`).join('\n')}`);
  return r.data;
}
