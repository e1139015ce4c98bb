// A private, throwaway PostgreSQL for tests that restart, stop or otherwise
// disturb the database: its own cluster (initdb) in a temp dir, on a free
// 127.0.0.1 port, trust auth, its unix socket in that dir. Built with the
// Debian server binaries (/usr/lib/postgresql/<ver>/bin, package postgresql-<ver>),
// run as the `postgres` user when the tests run as root (PostgreSQL refuses root).
// The shared server on :5432 is never touched. Always destroy() it (in after());
// a run killed before that leaves a cluster the next create() stops and removes.
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const PREFIX = 'eniplane-pg-';
/** bound on every pg_ctl/initdb run */
const CTL_TIMEOUT_MS = 120_000;

/** The newest installed server's bin directory, or undefined when no server binaries are installed. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(root, versions[0], 'bin') : undefined;
}

/** Why a private instance cannot be made here, or undefined when it can. */
export function pgInstanceUnavailable(): string | undefined {
  if (postgresBinDir() === undefined) return 'no PostgreSQL server binaries in /usr/lib/postgresql/<ver>/bin (package postgresql)';
  if (process.getuid?.() === 0 && postgresUser() === undefined)
    return 'running as root and there is no `postgres` user to run the server as';
  return undefined;
}

function postgresUser(): { uid: number; gid: number } | undefined {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (line === undefined) return undefined;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** The argv that runs a server binary as the right user: `runuser -u postgres --` when we are root. */
function asServerUser(bin: string, args: string[]): [string, string[]] {
  const path = join(postgresBinDir()!, bin);
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args];
}

async function run(bin: string, args: string[]): Promise<string> {
  const [cmd, argv] = asServerUser(bin, args);
  try {
    const { stdout, stderr } = await promisify(execFile)(cmd, argv, { timeout: CTL_TIMEOUT_MS, cwd: '/' });
    return stdout + stderr;
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${bin} ${args.join(' ')} failed: ${x.message}\n${x.stdout ?? ''}${x.stderr ?? ''}`);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Stops and removes the clusters of test processes that died before their destroy(). */
function sweepOrphans(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = join(tmpdir(), name);
    try {
      const owner = Number(readFileSync(join(dir, 'owner.pid'), 'utf8'));
      if (alive(owner)) continue;
    } catch {
      // no owner file: a create() that is under way, or was killed within its first milliseconds
      if (Date.now() - statSync(dir).mtimeMs < 3600_000) continue;
    }
    stopNow(dir);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `pg_ctl stop -m immediate`, synchronously (also from an 'exit' handler); quiet when nothing runs. */
function stopNow(dir: string): void {
  if (!existsSync(join(dir, 'data', 'postmaster.pid'))) return;
  const [cmd, argv] = asServerUser('pg_ctl', ['stop', '-D', join(dir, 'data'), '-m', 'immediate', '-w', '-t', '30']);
  try {
    execFileSync(cmd, argv, { stdio: 'ignore', timeout: 40_000, cwd: '/' });
  } catch {
    // already stopped
  }
}

export interface PgInstance {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  url: string;
  port: number;
  dir: string;
  /** `pg_ctl restart -m fast`: every connection is dropped, the server answers again when it returns */
  restart(): Promise<void>;
  /** `pg_ctl stop -m fast` (connections dropped, new ones refused until start()) */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** ends the backends (not our own) whose application_name starts with the prefix, or all client backends; returns how many */
  terminateBackends(applicationNamePrefix?: string): Promise<number>;
  /** the server's log (startup, shutdown, FATALs) for diagnostics */
  log(): string;
  /** stops the server and removes its directory; idempotent */
  destroy(): Promise<void>;
}

/** Creates, configures and starts a private cluster. */
export async function createPgInstance(): Promise<PgInstance> {
  const why = pgInstanceUnavailable();
  if (why !== undefined) throw new Error(why);
  sweepOrphans();
  const dir = mkdtempSync(join(tmpdir(), PREFIX));
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  const user = process.getuid?.() === 0 ? postgresUser() : undefined;
  if (user) chownSync(dir, user.uid, user.gid);
  const onExit = () => stopNow(dir);
  let destroyed = false;
  const destroy = async () => {
    if (destroyed) return;
    destroyed = true;
    process.off('exit', onExit);
    await run('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w', '-t', '30']).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    writeFileSync(join(dir, 'owner.pid'), String(process.pid));
    // A test process that exits without its after() (--test-force-exit, a crash) still stops the server.
    process.on('exit', onExit);
    await run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions']);
    const port = await freePort();
    writeFileSync(
      join(data, 'postgresql.auto.conf'),
      [
        `port = ${port}`,
        `listen_addresses = '127.0.0.1'`,
        `unix_socket_directories = '${dir}'`,
        'max_connections = 60',
        'shared_buffers = 32MB',
        'log_min_messages = warning',
        '', // restart/stop log lines and FATALs go to server.log
      ].join('\n'),
    );
    if (user) chownSync(join(data, 'postgresql.auto.conf'), user.uid, user.gid);
    const start = () => run('pg_ctl', ['start', '-D', data, '-l', logFile, '-w', '-t', '60']).then(() => undefined);
    await start();
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const admin = async <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
      const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
      await c.connect();
      try {
        return await fn(c);
      } finally {
        await c.end();
      }
    };
    return {
      url,
      port,
      dir,
      // -l: without it the new postmaster keeps our stdout pipe open, and pg_ctl's caller waits for it
      restart: () => run('pg_ctl', ['restart', '-D', data, '-l', logFile, '-m', 'fast', '-w', '-t', '60']).then(() => undefined),
      stop: () => run('pg_ctl', ['stop', '-D', data, '-m', 'fast', '-w', '-t', '60']).then(() => undefined),
      start,
      terminateBackends: (prefix) =>
        admin(
          async (c) =>
            (
              await c.query(
                `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                 WHERE pid <> pg_backend_pid() AND backend_type = 'client backend' AND ($1::text IS NULL OR application_name LIKE $1 || '%')`,
                [prefix ?? null],
              )
            ).rowCount ?? 0,
        ),
      log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
      destroy,
    };
  } catch (e) {
    await destroy();
    throw e;
  }
}
