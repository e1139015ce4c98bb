// `import { startEniplane } from 'eniplane'`: a whole eniplane (API, metadata
// service, admin API) in the calling process, on a fresh SQLite file in a
// temporary directory, on free ports of 127.0.0.1 — one per test file.
// Needs the tsx loader (`node --import tsx --test`), as the eniplane command does.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveServeConfig } from './cli/config.ts';
import { startServer, type RunningServer } from './server.ts';
import { settleAllNow } from './service/transitions.ts';
import type { FaultRule, FaultRuleInput } from './service/faults.ts';
import type { ThrottleProfile } from './service/throttle.ts';
import type { StateFile } from './service/state.ts';

export type { StateFile } from './service/state.ts';
export type { FaultRule, FaultRuleInput } from './service/faults.ts';
export type { ThrottleProfile } from './service/throttle.ts';

export interface EniplaneOptions {
  /** how long attach/detach/delete/start/stop take, ms (default 0: at once) */
  transitionMs?: number;
  /** request quotas: a profile, or "ecs" for the bundled one (default: none) */
  throttle?: Partial<ThrottleProfile> | 'ecs';
  /** fault rules to start with, and the seed of their random draws */
  faults?: { seed?: number; rules: FaultRuleInput[] };
  /** server log level (default "silent") */
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** AccessKey of the root account (default: generated) */
  rootKey?: { id: string; secret: string };
  /**
   * The world to start from, and to return to on reset(): a state export or a
   * hand-written seed (docs/harness.md), as an object or a file path.
   */
  seed?: StateFile | string;
}

export interface Eniplane {
  /** host:port, as the SDKs' `endpoint` wants it (with protocol 'http') */
  endpoint: string;
  accessKeyId: string;
  accessKeySecret: string;
  /** the metadata service; a request names its instance with X-Eniplane-Instance-Id */
  metadataUrl: string;
  /** back to the start: a fresh database holding the seed's world (or none), same endpoint and keys, no fault rules */
  reset(): Promise<void>;
  faults: {
    add(rule: FaultRuleInput | FaultRuleInput[], seed?: number): Promise<FaultRule[]>;
    list(): FaultRule[];
    /** removes one rule, or all */
    clear(id?: string): Promise<number>;
  };
  /** completes every pending async transition now */
  settle(): Promise<number>;
  close(): Promise<void>;
}

export async function startEniplane(opts: EniplaneOptions = {}): Promise<Eniplane> {
  let server: RunningServer;
  let dir = '';
  let rootKey = opts.rootKey;
  let ports = { api: 0, metadata: 0 };

  async function boot(initialFaults: EniplaneOptions['faults']): Promise<void> {
    dir = mkdtempSync(join(tmpdir(), 'eniplane-'));
    const throttle = opts.throttle === 'ecs' ? 'ecs' : opts.throttle ? write('throttle.json', opts.throttle) : undefined;
    const faults = initialFaults ? write('faults.json', initialFaults) : undefined;
    const seed = typeof opts.seed === 'string' ? opts.seed : opts.seed ? write('seed.json', opts.seed) : undefined;
    // Settings as flags (no environment: a test's ENIPLANE_* must not leak in).
    const config = resolveServeConfig(
      {
        host: '127.0.0.1',
        port: ports.api,
        data: dir,
        transitionMs: opts.transitionMs ?? 0,
        logLevel: opts.logLevel ?? 'silent',
        metadataListen: `127.0.0.1:${ports.metadata}`,
        metadataTrustInstanceHeader: true,
        throttle,
        faults,
        seed,
      },
      {},
    );
    const env = rootKey ? { ENIPLANE_ROOT_ACCESS_KEY_ID: rootKey.id, ENIPLANE_ROOT_ACCESS_KEY_SECRET: rootKey.secret } : {};
    try {
      server = await startServer(config, env, undefined, { backgroundCheckpoints: false });
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
    rootKey = { id: server.credentials.accessKeyId, secret: server.credentials.accessKeySecret };
    ports = { api: server.port, metadata: Number(server.metadataEndpoints[0].split(':').pop()) };
  }
  function write(name: string, value: unknown): string {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(value));
    return file;
  }
  async function shutdown(): Promise<void> {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }

  await boot(opts.faults);
  return {
    get endpoint() {
      return server.endpoint;
    },
    get accessKeyId() {
      return rootKey!.id;
    },
    get accessKeySecret() {
      return rootKey!.secret;
    },
    get metadataUrl() {
      return `http://${server.metadataEndpoints[0]}`;
    },
    async reset() {
      await shutdown();
      await boot(undefined);
    },
    faults: {
      add: (rule, seed) => server.faults.add(Array.isArray(rule) ? rule : [rule], seed),
      list: () => server.faults.rules(),
      clear: (id) => server.faults.clear(id),
    },
    settle: () => settleAllNow(server.deps),
    close: shutdown,
  };
}
