// Waiting for the next commit to the store, from any process: what the
// metadata long-poll and the lab's follow loop wait on, so an API change is
// seen within a few ms of its commit rather than at the next poll. It reads
// the store's commit counter (SQLite's data_version: a few µs) every tickMs,
// and only while somebody waits. A store without a counter (PostgreSQL)
// makes every wait a plain sleep of its timeout: callers keep their interval.
import type { Store } from '../store/store.ts';

interface Waiter {
  seen: number;
  wake: (changed: boolean) => void;
}

export class CommitWatch {
  private readonly waiters = new Set<Waiter>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Pick<Store, 'commitCounter'>,
    private readonly tickMs = 5,
  ) {}

  /** does this store tell commits apart (otherwise every wait runs to its timeout)? */
  get supported(): boolean {
    return typeof this.store.commitCounter === 'function';
  }

  /** the counter now; read it before reading the store, then wait with it */
  counter(): number | undefined {
    try {
      return this.store.commitCounter?.();
    } catch {
      return undefined; // the store is closing
    }
  }

  /**
   * Resolves true once a commit happened after `seen` was read, false when
   * timeoutMs passes or the signal aborts first.
   */
  changed(seen: number | undefined, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve(false);
      if (seen !== undefined && this.counter() !== seen) return resolve(true);
      let done = false;
      const finish = (changed: boolean) => {
        if (done) return;
        done = true;
        clearTimeout(timeout);
        signal?.removeEventListener('abort', abort);
        this.waiters.delete(waiter);
        if (this.waiters.size === 0) this.stopTicking();
        resolve(changed);
      };
      const abort = () => finish(false);
      const waiter: Waiter = { seen: seen ?? NaN, wake: finish };
      const timeout = setTimeout(() => finish(false), Math.max(0, timeoutMs));
      signal?.addEventListener('abort', abort, { once: true });
      if (seen === undefined || !this.supported) return;
      this.waiters.add(waiter);
      this.startTicking();
    });
  }

  private startTicking(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      const now = this.counter();
      if (now === undefined) return;
      for (const w of [...this.waiters]) if (w.seen !== now) w.wake(true);
    }, this.tickMs);
    this.timer.unref();
  }

  private stopTicking(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
