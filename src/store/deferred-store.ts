// A PostgreSQL store that is not there yet. `eniplane serve --database
// postgres://...` starts even when the database is unreachable: until a
// connection succeeds (migrations applied, secrets re-sealed) and the server
// has finished starting on it, every transaction answers StoreUnavailable, so
// every API call gets the retryable ServiceUnavailable (503) and /readyz says
// not ready. Nothing is acknowledged meanwhile, so nothing can be lost.
// The retry loop (bounded exponential back-off) lives in open-store.ts.
import { DomainError } from '../domain/errors.ts';
import type { MigrationReport, OneCallAddresses, Store, Tx } from './store.ts';

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

  async transaction<T>(fn: (tx: Tx) => Promise<T>, opts?: { readOnly?: boolean }): Promise<T> {
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
