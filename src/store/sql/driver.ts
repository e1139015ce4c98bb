// The few things the shared SQL repositories need from a database connection.
// SQL is written with `?` placeholders; the postgres driver numbers them.
import type { SecretBox } from '../secret-box.ts';

export interface SqlDriver {
  readonly dialect: 'sqlite' | 'postgres';
  all<R>(sql: string, params?: unknown[]): Promise<R[]>;
  get<R>(sql: string, params?: unknown[]): Promise<R | undefined>;
  run(sql: string, params?: unknown[]): Promise<{ changes: number }>;
  /** seals AccessKey secrets at rest; absent, they are stored as given (tests, tools that never read them) */
  readonly secrets?: SecretBox;
}

/** Row-lock suffix: PostgreSQL locks selected rows; SQLite's writer lock already serializes. */
export function forUpdate(d: SqlDriver): string {
  return d.dialect === 'postgres' ? ' FOR UPDATE' : '';
}

/**
 * Row-lock suffix for work queues: PostgreSQL locks the selected rows and skips
 * the ones another transaction holds, so concurrent settlers never take the
 * same row (nor wait for each other); SQLite's writer lock already serializes.
 */
export function forUpdateSkipLocked(d: SqlDriver): string {
  return d.dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
}

const PLACEHOLDERS: string[] = [];

/** "?,?,?" for n values; the common small lists are built once. */
export function placeholders(n: number): string {
  if (n < 64) return (PLACEHOLDERS[n] ??= Array.from({ length: n }, () => '?').join(','));
  return Array.from({ length: n }, () => '?').join(',');
}
