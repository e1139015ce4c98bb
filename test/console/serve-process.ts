// A real `eniplane serve` process on a free port and a fresh data directory,
// for the end-to-end tests.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './console-build.ts';

export interface ServeProcess {
  url: string;
  dataDir: string;
  root: { accessKeyId: string; accessKeySecret: string; accountId: string };
  child: ChildProcess;
  output(): string;
  createAccount(name: string): { accountId: string; accessKeyId: string; accessKeySecret: string };
  stop(): Promise<void>;
}

export async function startServe(extraArgs: string[] = []): Promise<ServeProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'eniplane-console-'));
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'bin', 'eniplane.mjs'),
      'serve',
      '--port',
      '0',
      '--data',
      dataDir,
      '--transition-ms',
      '300',
      '--log-level',
      'warn',
      ...extraArgs,
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ENIPLANE_ROOT_ACCESS_KEY_ID: '', ENIPLANE_ROOT_ACCESS_KEY_SECRET: '' },
    },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start in 30 s:\n${out}`)), 30_000);
    const check = () => {
      const m = /endpoint:\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${out}`));
    });
  });
  const root = JSON.parse(readFileSync(join(dataDir, 'credentials.json'), 'utf8')) as ServeProcess['root'];
  return {
    url,
    dataDir,
    root,
    child,
    output: () => out,
    createAccount(name) {
      const json = execFileSync(
        process.execPath,
        [join(ROOT, 'bin', 'eniplane.mjs'), 'accounts', 'create', name, '--data', dataDir, '--json'],
        { cwd: ROOT, encoding: 'utf8' },
      );
      return JSON.parse(json.trim().split('\n').pop()!) as { accountId: string; accessKeyId: string; accessKeySecret: string };
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
