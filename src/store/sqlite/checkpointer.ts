// WAL checkpoints off the request path. A checkpoint copies the WAL's pages
// back into the database file and, with synchronous=NORMAL, fsyncs both files:
// done inline by the committing connection (SQLite's default, every 1000
// pages) it stalls the single-threaded server for milliseconds every hundred
// or so commits — the tail of bench/assign. Here a worker thread with its own
// connection runs PASSIVE checkpoints on a short interval: they never wait for
// the writer nor block it, and the fsyncs happen on the worker's thread.
//
// The writer keeps a high autocheckpoint as a safety net: should the worker
// lag or die, the WAL is still checkpointed inline past that size.
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';

/** Pages after which the writer checkpoints inline anyway (16 MiB of 1 KiB pages). */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 16_384;
const INTERVAL_MS = 25;

// A CommonJS worker given as source: it needs nothing but better-sqlite3, and an
// eval'd worker does not depend on the TypeScript loader of the main thread.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.betterSqlite3);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
db.pragma('synchronous = NORMAL');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (e) {
    parentPort.postMessage({ error: String(e && e.message || e) });
  }
}, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(file: string, onError: (message: string) => void): Checkpointer {
  const betterSqlite3 = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, betterSqlite3, intervalMs: INTERVAL_MS } });
  worker.unref(); // never what keeps a process alive
  worker.on('message', (m: { error?: string }) => {
    if (m.error) onError(m.error);
  });
  worker.on('error', (e) => onError(e.message));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      worker.ref(); // waiting for its exit must keep this process alive until it comes
      worker.postMessage('stop');
      await exited;
    },
  };
}
