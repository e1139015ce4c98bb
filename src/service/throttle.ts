// Request quotas as ECS enforces them: per account, per region, per action, in
// fixed windows (ECS: one minute; throttled in minute T, allowed again in T+1),
// plus optional per-action ceilings over all accounts. The counts live in the
// database (`throttle_windows`), so servers on one PostgreSQL share a budget.
//
// Cheap on the hot path: each process leases a chunk of a window's allowance
// (a twentieth of the quota, at most 1,000) in one statement and spends it
// locally; a window found exhausted is remembered until it ends. With the
// quota leased out in chunks, several servers may refuse up to one chunk each
// before the window's true total is reached (never admit more than the quota).
import { z } from 'zod';
import type { ServiceDeps } from './deps.ts';

export const throttleProfileSchema = z
  .object({
    /** the fixed window, ms (ECS: 60,000) */
    windowMs: z.number().int().min(100).max(3_600_000).default(60_000),
    /** the Code answered when an account's quota for an action is spent */
    code: z.enum(['Throttling', 'Throttling.User']).default('Throttling'),
    /** requests per window per account, region and action; "*" for every other action */
    perAccount: z.record(z.string(), z.number().int().min(0)).default({}),
    /** requests per window per action over all accounts (answered Throttling.Api) */
    perApi: z.record(z.string(), z.number().int().min(0)).default({}),
  })
  .strict();

export type ThrottleProfile = z.infer<typeof throttleProfileSchema>;

export interface ThrottleVerdict {
  code: 'Throttling' | 'Throttling.User' | 'Throttling.Api';
  /** until the window ends, ms (sent as x-acs-retry-after, which the Tea SDKs read) */
  retryAfterMs: number;
}

interface Allowance {
  windowStart: number;
  left: number;
  exhausted: boolean;
  pending?: Promise<void>;
}

const MAX_LEASE = 1000;

export class Throttle {
  private readonly allowances = new Map<string, Allowance>();

  constructor(
    private readonly deps: ServiceDeps,
    readonly profile: ThrottleProfile,
  ) {}

  /** undefined when the request may go on; otherwise what to answer. */
  async check(accountId: string, regionId: string, action: string): Promise<ThrottleVerdict | undefined> {
    const p = this.profile;
    const now = this.deps.clock.nowMs();
    const windowStart = this.windowOf(now);
    const retryAfterMs = windowStart + p.windowMs - now;
    const api = p.perApi[action];
    if (api !== undefined && !(await this.take(`api|${action}`, api, windowStart))) return { code: 'Throttling.Api', retryAfterMs };
    const own = p.perAccount[action] ?? p.perAccount['*'];
    if (own !== undefined && !(await this.take(`acct|${accountId}|${regionId}|${action}`, own, windowStart)))
      return { code: p.code, retryAfterMs };
    return undefined;
  }

  /** Takes one request from the key's allowance, leasing more from the database when it runs out. */
  private async take(key: string, quota: number, windowStart: number): Promise<boolean> {
    if (quota === 0) return false;
    for (;;) {
      let a = this.allowances.get(key);
      // Windows only move forward: a request that waited across a window's end counts in the new one
      // (replacing a newer allowance with an older one would have two requests undo each other forever).
      const current = Math.max(windowStart, this.windowOf(this.deps.clock.nowMs()));
      if (!a || a.windowStart < current) this.allowances.set(key, (a = { windowStart: current, left: 0, exhausted: false }));
      if (a.left > 0) {
        a.left--;
        return true;
      }
      if (a.exhausted) return false;
      // One lease at a time per key: requests arriving meanwhile wait for it.
      if (!a.pending) {
        const leasing = a;
        leasing.pending = this.lease(key, quota, leasing).finally(() => {
          leasing.pending = undefined;
        });
      }
      await a.pending;
    }
  }

  private windowOf(ms: number): number {
    return ms - (ms % this.profile.windowMs);
  }

  private async lease(key: string, quota: number, a: Allowance): Promise<void> {
    const chunk = Math.max(1, Math.min(MAX_LEASE, Math.ceil(quota / 20)));
    const used = await this.deps.store.transaction((tx) => tx.throttle.lease(key, a.windowStart, chunk));
    const before = used - chunk;
    const granted = Math.max(0, Math.min(chunk, quota - before));
    a.left += granted;
    if (granted === 0) a.exhausted = true;
  }
}
