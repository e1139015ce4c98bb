// The lab's child processes — the metadata service in the router namespace
// and one agent per running instance — each started with `ip netns exec`
// (which execs, so the pid is the program's), logged to a file, restarted
// with a back-off if it dies, and stopped by pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ENIPLANE_BIN = fileURLToPath(new URL('../../bin/eniplane.mjs', import.meta.url));

export interface Supervised {
  name: string;
  /** the current process id, if running */
  pid(): number | undefined;
  stop(): Promise<void>;
}

/** Is pid alive and an eniplane process (so a recycled pid is never killed)? */
export function isEniplaneProcess(pid: number): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('eniplane');
  } catch {
    return false;
  }
}

export async function killPid(pid: number, graceMs = 3000): Promise<void> {
  if (!isEniplaneProcess(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const end = Date.now() + graceMs;
  while (Date.now() < end) {
    if (!existsSync(`/proc/${pid}`)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone */
  }
}

/**
 * Runs `ip netns exec <ns> node bin/eniplane.mjs <args>` and keeps it running.
 * `ready` (optional) is a line the process prints once it is up.
 */
export function supervise(
  name: string,
  ns: string,
  args: string[],
  logFile: string,
  opts: { onEvent?: (line: string) => void; ready?: RegExp } = {},
): { handle: Supervised; ready: Promise<void> } {
  mkdirSync(dirname(logFile), { recursive: true });
  let child: ChildProcess | undefined;
  let stopped = false;
  let restarts = 0;
  let resolveReady: () => void;
  let rejectReady: (e: Error) => void;
  const ready = new Promise<void>((res, rej) => {
    resolveReady = res;
    rejectReady = rej;
  });
  let isReady = false;

  const start = () => {
    const fd = openSync(logFile, 'a');
    child = spawn('ip', ['netns', 'exec', ns, process.execPath, ENIPLANE_BIN, ...args], { stdio: ['ignore', 'pipe', fd] });
    closeSync(fd);
    const out = openSync(logFile, 'a');
    let buffered = '';
    child.stdout!.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const l of lines) {
        try {
          writeSync(out, l + '\n');
        } catch {
          /* log file gone */
        }
        if (!isReady && opts.ready?.test(l)) {
          isReady = true;
          resolveReady();
        }
      }
    });
    const startedMs = Date.now();
    child.once('exit', (code, signal) => {
      try {
        closeSync(out);
      } catch {
        /* closed */
      }
      child = undefined;
      if (stopped) return;
      if (!isReady && opts.ready) {
        rejectReady(new Error(`${name} exited (${code ?? signal}) before it was ready; see ${logFile}`));
      }
      // a process that ran a while resets the back-off
      if (Date.now() - startedMs > 30_000) restarts = 0;
      const delay = Math.min(10_000, 250 * 2 ** restarts++);
      opts.onEvent?.(`${name} exited (${code ?? signal}); restarting in ${delay} ms`);
      setTimeout(() => {
        if (!stopped) start();
      }, delay).unref();
    });
  };
  start();
  if (!opts.ready) {
    isReady = true;
    resolveReady!();
  }
  return {
    ready,
    handle: {
      name,
      pid: () => child?.pid,
      async stop() {
        stopped = true;
        const c = child;
        if (!c || c.exitCode !== null) return;
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            c.kill('SIGKILL');
          }, 3000);
          c.once('exit', () => {
            clearTimeout(t);
            resolve();
          });
          c.kill('SIGTERM');
        });
      },
    },
  };
}
