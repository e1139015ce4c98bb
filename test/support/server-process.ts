// A real `eniplane serve` process on a free port with a fresh data dir, for
// compat and end-to-end tests. Always stop() it (in after()).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = new URL('../../bin/eniplane.mjs', import.meta.url).pathname;
/** The Node flags `eniplane` runs with (its shebang's), so a test or bench server runs as the command does. */
export const BIN_NODE_FLAGS = (
  /^#!\/usr\/bin\/env -S node((?: --?[\w-]+(?:=\S+)?)*)\s*$/m.exec(readFileSync(BIN, 'utf8').split('\n')[0])?.[1] ?? ''
)
  .split(' ')
  .filter(Boolean);

export interface ServerProcess {
  endpoint: string; // host:port
  port: number;
  dataDir: string;
  key: { id: string; secret: string };
  child: ChildProcess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startServerProcess(
  opts: {
    args?: string[];
    env?: Record<string, string>;
    dataDir?: string;
    keepData?: boolean;
    nodeArgs?: string[];
    /** how long the start may take before it counts as hung (default 20 s) */
    startTimeoutMs?: number;
  } = {},
): Promise<ServerProcess> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'eniplane-srv-'));
  const child = spawn(
    process.execPath,
    [
      ...BIN_NODE_FLAGS,
      ...(opts.nodeArgs ?? []),
      BIN,
      'serve',
      '--port',
      '0',
      '--data',
      dataDir,
      '--log-level',
      'warn',
      ...(opts.args ?? []),
    ],
    {
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    out += d;
  });
  const port = await new Promise<number>((resolve, reject) => {
    const limit = opts.startTimeoutMs ?? 20_000;
    const timer = setTimeout(() => reject(new Error(`server did not start in ${limit / 1000} s:\n${out}`)), limit);
    const check = () => {
      const m = /endpoint:\s+http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  const creds = JSON.parse(readFileSync(join(dataDir, 'credentials.json'), 'utf8'));
  return {
    endpoint: `127.0.0.1:${port}`,
    port,
    dataDir,
    key: { id: creds.accessKeyId, secret: creds.accessKeySecret },
    child,
    output: () => out,
    stop(signal = 'SIGTERM') {
      return new Promise((resolve) => {
        const done = (code: number | null) => {
          if (!opts.keepData && !opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
          resolve(code);
        };
        if (child.exitCode !== null || child.signalCode !== null) return done(child.exitCode);
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', (code) => {
          clearTimeout(t);
          done(code);
        });
        child.kill(signal);
      });
    },
  };
}
