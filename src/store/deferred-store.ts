// A PostgreSQL store that is not there yet. `eniplane serve --database
// postgres://...` starts even when the database is unreachable: until a
// connection succeeds (migrations applied, secrets re-sealed) and the server
// has finished starting on it, every transaction answers StoreUnavailable, so
// every API call gets the retryable ServiceUnavailable (503) and /readyz says
// not ready. Nothing is acknowledged meanwhile, so nothing can be lost.
// The retry loop (bounded exponential back-off) lives in open-store.ts.
import { DomainError } from '../domain/errors.ts';
import type { MigrationReport, OneCallAddresses, Store, TransactionOptions, Tx } from './store.ts';

export class DeferredStore implements Store {
  readonly kind = 'postgres' as const;
  private connected: Store | undefined;
  private open = false;
  private closed = false;
  private readonly closeHooks: (() => void)[] = [];

  /** the real store once connected (for the server's own start-up steps, before the gate opens) */
  get inner(): Store | undefined {
    return this.connected;
  }

  get oneCall(): OneCallAddresses | undefined {
    return this.open ? this.connected?.oneCall : undefined;
  }

  /** Called by the retry loop once the database answers. A store connected after close() is closed at once. */
  async connect(store: Store): Promise<boolean> {
    if (this.closed) {
      await store.close();
      return false;
    }
    this.connected = store;
    return true;
  }

  /** From now on requests reach the database. */
  openGate(): void {
    if (!this.connected) throw new Error('DeferredStore: not connected');
    this.open = true;
  }

  onClose(fn: () => void): void {
    this.closeHooks.push(fn);
  }

  private unavailable(): DomainError<'StoreUnavailable'> {
    return new DomainError('StoreUnavailable', { reason: 'the database has not been reachable since the server started' });
  }

  get roundTrips(): number | undefined {
    return this.connected?.roundTrips;
  }

  async nextDueMs(): Promise<number | null> {
    if (!this.open || !this.connected) throw this.unavailable();
    if (this.connected.nextDueMs) return this.connected.nextDueMs();
    return this.connected.transaction(
      async (tx) => {
        const a = await tx.enis.nextDueMs();
        const b = await tx.instances.nextDueMs();
        return a === null ? b : b === null ? a : Math.min(a, b);
      },
      { readOnly: true },
    );
  }

  /**
   * Listens once the real store is connected and the gate open (a settler started before then polls
   * meanwhile: isListening() is false).
   */
  watchDue(onDue: (dueMs: number | 'unknown') => void): { stop(): void; isListening(): boolean } {
    let inner: { stop(): void; isListening(): boolean } | undefined;
    let stopped = false;
    const attach = () => {
      if (!stopped && !inner && this.open && this.connected?.watchDue) inner = this.connected.watchDue(onDue);
    };
    return {
      stop: () => {
        stopped = true;
        inner?.stop();
      },
      isListening: () => {
        attach();
        return inner?.isListening() ?? false;
      },
    };
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>, opts?: TransactionOptions): Promise<T> {
    if (!this.open || !this.connected) throw this.unavailable();
    return this.connected.transaction(fn, opts);
  }

  async migrate(): Promise<MigrationReport> {
    if (!this.connected) throw this.unavailable();
    return this.connected.migrate();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const h of this.closeHooks) h();
    await this.connected?.close();
  }
}
