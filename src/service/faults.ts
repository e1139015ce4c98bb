// Fault injection: rules that make chosen requests fail, slow down, lose their
// connection or their answer, or leave an ENI in a transition too long or in
// the wrong end state — so a client's failure handling can be exercised.
//
// The rule set lives in the database (one `kv` row), so every server on it
// sees the same rules; each process keeps a parsed copy and re-reads the row
// when a poll finds its version changed. With no rules the per-request cost is
// one property read (`book.active`).
import { z } from 'zod';
import type { ServiceDeps } from './deps.ts';

const KEY = 'eniplane:faults';

const effectSchema = z.discriminatedUnion('kind', [
  /** an error answer: any Code, HTTP status and Message */
  z
    .object({
      kind: z.literal('error'),
      code: z.string().min(1).default('InternalError'),
      status: z.number().int().min(400).max(599).default(500),
      message: z.string().optional(),
    })
    .strict(),
  /** the answer waits this long (ms); on the metadata service, too */
  z.object({ kind: z.literal('latency'), ms: z.number().int().min(0).max(600_000) }).strict(),
  /** the connection is closed without an answer, before anything is done */
  z.object({ kind: z.literal('drop') }).strict(),
  /** the action is done and committed, then the connection is closed: the client must replay its ClientToken */
  z.object({ kind: z.literal('lose-answer') }).strict(),
  /** an attach/detach/delete/start/stop that takes ms, optionally ending in the wrong state */
  z
    .object({ kind: z.literal('transition'), ms: z.number().int().min(0).max(3_600_000), end: z.enum(['Available', 'InUse']).optional() })
    .strict(),
]);

const faultRuleSchema = z
  .object({
    /** assigned when the rule is added */
    id: z.string().optional(),
    /** api: the RPC endpoint; metadata: the instance metadata service */
    target: z.enum(['api', 'metadata']).default('api'),
    /** RPC action names (api) */
    actions: z.array(z.string()).optional(),
    regions: z.array(z.string()).optional(),
    /** account ids (api) */
    accounts: z.array(z.string()).optional(),
    /** resource ids: any request parameter equal to one (api), or the calling instance (metadata) */
    resources: z.array(z.string()).optional(),
    /** metadata path prefix, e.g. /latest/meta-data/ or /eniplane/v1/interfaces */
    pathPrefix: z.string().optional(),
    /** chance that a matching request is hit, drawn from the set's seeded generator */
    probability: z.number().min(0).max(1).default(1),
    /** fire at most this many times (counted per server process) */
    times: z.number().int().min(1).optional(),
    effect: effectSchema,
  })
  .strict();

export const faultSetSchema = z
  .object({
    seed: z.number().int().default(1),
    rules: z.array(faultRuleSchema).default([]),
  })
  .strict();

export type FaultRule = z.infer<typeof faultRuleSchema>;

export type FaultRuleInput = z.input<typeof faultRuleSchema>;

interface StoredSet {
  version: number;
  seed: number;
  nextId: number;
  rules: FaultRule[];
}

/** What a request looks like to the matcher. */
export interface FaultProbe {
  target: 'api' | 'metadata';
  action?: string;
  regionId?: string;
  accountId?: string;
  /** every parameter value (api) or the instance id (metadata) */
  values: Iterable<string>;
  path?: string;
}

/** mulberry32: small, seeded, and the same sequence on every platform. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function matches(rule: FaultRule, p: FaultProbe): boolean {
  if (rule.target !== p.target) return false;
  if (rule.actions && !(p.action && rule.actions.includes(p.action))) return false;
  if (rule.regions && !(p.regionId && rule.regions.includes(p.regionId))) return false;
  if (rule.accounts && !(p.accountId && rule.accounts.includes(p.accountId))) return false;
  if (rule.pathPrefix && !(p.path && p.path.startsWith(rule.pathPrefix))) return false;
  if (rule.resources) {
    let hit = false;
    for (const v of p.values)
      if (rule.resources.includes(v)) {
        hit = true;
        break;
      }
    if (!hit) return false;
  }
  return true;
}

/** The rule set as this process knows it, kept in step with the database. */
export class FaultBook {
  /** any rule at all: the hot path reads only this */
  active = false;
  private set: StoredSet = { version: 0, seed: 1, nextId: 1, rules: [] };
  private random = seeded(1);
  private fired = new Map<string, number>();

  constructor(private readonly deps: ServiceDeps) {}

  get version(): number {
    return this.set.version;
  }
  get seed(): number {
    return this.set.seed;
  }
  rules(): FaultRule[] {
    return this.set.rules;
  }

  /** Re-reads the stored set; cheap when its version is unchanged. */
  async refresh(): Promise<void> {
    const text = await this.deps.store.transaction((tx) => tx.kv.get(KEY, this.deps.clock.nowMs()), { readOnly: true, oneStatement: true });
    const stored: StoredSet = text ? JSON.parse(text) : { version: 0, seed: 1, nextId: 1, rules: [] };
    if (stored.version !== this.set.version) this.adopt(stored);
  }

  /** The first rule that fires for this request (its probability drawn), if any. */
  pick(p: FaultProbe): FaultRule | undefined {
    for (const rule of this.set.rules) {
      if (!matches(rule, p)) continue;
      if (rule.times !== undefined && (this.fired.get(rule.id!) ?? 0) >= rule.times) continue;
      if (rule.probability < 1 && this.random() >= rule.probability) continue;
      this.fired.set(rule.id!, (this.fired.get(rule.id!) ?? 0) + 1);
      return rule;
    }
    return undefined;
  }

  /** Adds rules (validated) and returns them with their ids. */
  add(rules: FaultRuleInput[], seed?: number): Promise<FaultRule[]> {
    const parsed = rules.map((r) => faultRuleSchema.parse(r));
    return this.change((s) => {
      const added = parsed.map((r) => ({ ...r, id: r.id ?? `fault-${s.nextId++}` }));
      return { ...s, seed: seed ?? s.seed, rules: [...s.rules, ...added] };
    }).then((s) => s.rules.slice(s.rules.length - parsed.length));
  }

  /** Removes one rule by id, or all of them. */
  async clear(id?: string): Promise<number> {
    let removed = 0;
    await this.change((s) => {
      const kept = id === undefined ? [] : s.rules.filter((r) => r.id !== id);
      removed = s.rules.length - kept.length;
      return { ...s, rules: kept };
    });
    return removed;
  }

  /** Replaces the whole set (a --faults file at start). */
  async replace(input: z.input<typeof faultSetSchema>): Promise<void> {
    const set = faultSetSchema.parse(input);
    await this.change((s) => ({
      ...s,
      seed: set.seed,
      nextId: s.nextId + set.rules.length,
      rules: set.rules.map((r, i) => ({ ...r, id: r.id ?? `fault-${s.nextId + i}` })),
    }));
  }

  private async change(fn: (s: StoredSet) => StoredSet): Promise<StoredSet> {
    const next = await this.deps.store.transaction(async (tx) => {
      // Locked before it is read: two servers adding rules at once must both land (READ COMMITTED
      // alone lets both read version n and the later write drop the other's rule).
      await tx.kv.lock(KEY);
      const text = await tx.kv.get(KEY, this.deps.clock.nowMs());
      const cur: StoredSet = text ? JSON.parse(text) : { version: 0, seed: 1, nextId: 1, rules: [] };
      const n = { ...fn(cur), version: cur.version + 1 };
      await tx.kv.put(KEY, JSON.stringify(n), null);
      return n;
    });
    this.adopt(next);
    return next;
  }

  private adopt(s: StoredSet): void {
    this.set = s;
    this.active = s.rules.length > 0;
    // A new set starts its random sequence and its counts afresh: the same requests see the same faults.
    this.random = seeded(s.seed);
    this.fired = new Map();
  }
}

const wrongEndKey = (eniId: string) => `eniplane:fault-end:${eniId}`;

/** Marks an ENI whose running transition must end in the wrong state (read by transitions.ts). */
export async function markWrongEnd(deps: ServiceDeps, eniId: string, end: 'Available' | 'InUse'): Promise<void> {
  await deps.store.transaction((tx) => tx.kv.put(wrongEndKey(eniId), end, deps.clock.nowMs() + 24 * 3600_000));
}

export { wrongEndKey };
