// The agent's loop: read the desired state, plan against the kernel, apply,
// record what it now owns, check the result, report it to the metadata
// service. `--once` does this one time; `--watch` long-polls so a change is
// seen within a second, and reconciles every 60 s regardless.
import type { AgentStatus } from '../metadata/wire.ts';
import { applySteps, readActual, systemIp, takeBackMisplaced, type IpRunner } from './iproute2.ts';
import type { MetadataClient } from './metadata-client.ts';
import type { Actual, Desired, Ownership, Plan } from './model.ts';
import { describeStep, plan, settleOwnership } from './plan.ts';
import { loadOwnership, saveOwnership } from './state.ts';
import { linkArrived } from './link-watch.ts';
import { policyTable } from './plan.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type Log = (level: LogLevel, message: string) => void;

export interface PersistentOutcome {
  state: 'applied' | 'unchanged' | 'rolled-back' | 'failed';
  message: string;
}

/** Persistent mode: writes the distro's files for what runtime mode applied (apply-files.ts). */
export interface PersistentApplier {
  apply(desired: Extract<Desired, { kind: 'complete' }>, actual: Actual): Promise<PersistentOutcome>;
}

export interface AgentOptions {
  client: MetadataClient;
  stateDir: string;
  dryRun?: boolean;
  /** set in persistent mode */
  persistent?: PersistentApplier;
  /** watch mode: full reconcile at least this often, ms */
  reconcileMs?: number;
  /** watch mode: how long one long-poll may wait, ms */
  waitMs?: number;
  ip?: IpRunner;
  /**
   * announce added addresses (gratuitous ARP / unsolicited NA, see applySteps);
   * default: when `ip` is the system's (this namespace's /proc/sys)
   */
  announce?: boolean;
  log: Log;
  /** dry-run output */
  print?: (line: string) => void;
  signal?: AbortSignal;
}

export interface ReconcileResult {
  desired: Desired;
  plan: Plan;
  /** every desired address is on its link */
  converged: boolean;
  errors: string[];
  status: AgentStatus;
  /** the MACs of desired interfaces with no local link, when that is all that keeps it from converging */
  waitingForLinks: string[];
}

/** longest wait for an ENI's link (or a metadata change) before reconciling again anyway */
const LINK_WAIT_MS = 5000;
/** waits in a row for the same missing links before the plain back-off takes over */
const MAX_LINK_ROUNDS = 5;

/** Does the plan need the kernel's IPv6 rules (the agent owns some, or a secondary ENI has IPv6 addresses)? */
function needsIpv6Rules(desired: Desired, owned: Ownership): boolean {
  if (owned.rules.some((r) => r.family === 6)) return true;
  if (desired.kind === 'unavailable') return false;
  return desired.interfaces.some((d) => policyTable(d) !== undefined && d.ipv6.addresses.length > 0);
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/** The actual state once every step has succeeded (links and addresses: what the status report needs). */
function projected(actual: Actual, steps: Plan['steps']): Actual {
  const links = actual.links.map((l) => ({ ...l, addresses: [...l.addresses] }));
  for (const s of steps) {
    const link = 'mac' in s ? links.find((l) => l.mac === s.mac) : undefined;
    if (!link) continue;
    if (s.op === 'link-up') link.up = true;
    if (s.op === 'addr-add') link.addresses.push({ family: s.family, address: s.address, prefixLength: s.prefixLength, secondary: true });
    if (s.op === 'addr-del') link.addresses = link.addresses.filter((a) => !(a.family === s.family && a.address === s.address));
  }
  return { ...actual, links };
}

function statusOf(
  desired: Desired,
  actual: Actual,
  mode: AgentStatus['mode'],
  errors: string[],
  persistent?: PersistentOutcome,
): AgentStatus {
  const interfaces = (desired.kind === 'unavailable' ? [] : desired.interfaces).map((d) => {
    const link = actual.links.find((l) => l.mac === d.mac);
    const wanted = [
      ...[d.ipv4.primary, ...d.ipv4.secondaries].map((address) => ({ address, family: 4 as const })),
      ...d.ipv6.addresses.map((address) => ({ address, family: 6 as const })),
    ];
    return {
      mac: d.mac,
      networkInterfaceId: d.networkInterfaceId,
      ifname: link?.ifname ?? null,
      addresses: wanted.map((w) => ({
        ...w,
        configured: link?.addresses.some((a) => a.family === w.family && a.address === w.address) ?? false,
      })),
    };
  });
  const ok =
    desired.kind === 'complete' &&
    interfaces.every((i) => i.ifname !== null && i.addresses.every((a) => a.configured)) &&
    (persistent === undefined || persistent.state === 'applied' || persistent.state === 'unchanged');
  return {
    version: desired.kind === 'unavailable' ? '' : desired.version,
    mode,
    ok,
    reportedAtMs: Date.now(),
    interfaces,
    ...(persistent ? { persistent } : {}),
    errors: errors.slice(0, 20).map((e) => e.slice(0, 2000)),
  };
}

export class Agent {
  private owned: Ownership | undefined;
  /** the kernel's state as the last clean pass left it (read, plus what it applied); dropped once used */
  private known: Actual | undefined;
  private readonly ip: IpRunner;
  private readonly announce: boolean;

  constructor(private readonly opts: AgentOptions) {
    this.ip = opts.ip ?? systemIp;
    this.announce = opts.announce ?? opts.ip === undefined;
  }

  private async ownership(): Promise<Ownership> {
    if (!this.owned) {
      const r = await loadOwnership(this.opts.stateDir);
      if (r.warning) this.opts.log('warn', r.warning);
      this.owned = r.owned;
    }
    return this.owned;
  }

  /**
   * The early half of a pass after the metadata changed: a plan against what
   * the last clean pass left (no kernel read: one `ip` process less before a
   * new address answers) whose steps are only links brought up and addresses
   * added is applied at once; the full pass follows immediately and plans
   * against the kernel as usual. Nothing is removed here, nor any route or
   * rule replaced: that needs the kernel as it is now. An add of an address
   * that meanwhile appeared otherwise fails and is not owned, as in a full pass.
   */
  private async addEarly(desired: Desired): Promise<void> {
    const t0 = Date.now();
    const known = this.known;
    this.known = undefined;
    if (!known || desired.kind === 'unavailable') return;
    const owned = await this.ownership();
    const p = plan(desired, known, owned);
    if (p.steps.length === 0 || !p.steps.every((s) => s.op === 'addr-add' || s.op === 'link-up')) return;
    const outcome = await applySteps(p.steps, this.ip, undefined, { announce: this.announce });
    for (const x of await takeBackMisplaced(p.steps, outcome, this.ip))
      this.opts.log('warn', `took back ${x}: the ENI it was planned for had moved`);
    this.owned = settleOwnership(p, outcome.failed);
    await saveOwnership(this.opts.stateDir, this.owned);
    for (const s of p.steps)
      this.opts.log(outcome.failed.has(s) ? 'warn' : 'info', `${outcome.failed.has(s) ? 'FAILED ' : ''}${describeStep(s)}`);
    this.opts.log('debug', `applied early (no kernel read) in ${Date.now() - t0} ms`);
  }

  /** One pass: plan against the kernel now, apply (unless dry-run), record, verify. */
  async reconcile(desired: Desired, opts: { persist?: boolean; early?: boolean } = {}): Promise<ReconcileResult> {
    const { log } = this.opts;
    const errors: string[] = [];
    if (desired.kind === 'unavailable') errors.push(desired.reason);
    if (desired.kind === 'partial') errors.push(...desired.problems.map((p) => `metadata: ${p}`));
    const t0 = Date.now();
    if (opts.early && !this.opts.dryRun && !this.opts.persistent) await this.addEarly(desired);
    const owned = await this.ownership();
    const actual = await readActual(this.ip, { ipv6Rules: needsIpv6Rules(desired, owned) });
    this.known = undefined;
    const p = plan(desired, actual, owned);
    log('debug', `read the kernel state in ${Date.now() - t0} ms; ${p.steps.length} step(s) to run`);
    if (this.opts.dryRun) {
      const print = this.opts.print ?? ((l: string) => log('info', l));
      print(
        `desired: ${desired.kind}${desired.kind !== 'unavailable' ? ` (version ${desired.version}, ${desired.interfaces.length} interface(s))` : `: ${desired.reason}`}`,
      );
      for (const s of p.steps) print(`would run: ${describeStep(s)}`);
      if (p.steps.length === 0) print('nothing to do');
      for (const m of p.missingLinks) print(`no local interface has MAC ${m} (yet)`);
      if (p.removalsSuppressed && desired.kind !== 'unavailable') print('removals held back: the metadata answer is partial');
      if (this.opts.persistent && desired.kind === 'complete') await this.opts.persistent.apply(desired, actual);
      return {
        desired,
        plan: p,
        converged: p.steps.length === 0 && p.missingLinks.length === 0 && desired.kind === 'complete',
        errors,
        status: statusOf(desired, actual, this.opts.persistent ? 'persistent' : 'runtime', errors),
        waitingForLinks: [],
      };
    }
    let after = actual;
    if (p.steps.length > 0) {
      const outcome = await applySteps(p.steps, this.ip, undefined, { announce: this.announce });
      // an ENI swapped under the apply: what went onto the wrong link is taken back, and not owned
      for (const x of await takeBackMisplaced(p.steps, outcome, this.ip))
        log('warn', `took back ${x}: the ENI it was planned for had moved`);
      errors.push(...outcome.errors);
      this.owned = settleOwnership(p, outcome.failed);
      await saveOwnership(this.opts.stateDir, this.owned);
      for (const s of p.steps) log(outcome.failed.has(s) ? 'warn' : 'info', `${outcome.failed.has(s) ? 'FAILED ' : ''}${describeStep(s)}`);
      log('debug', `applied in ${Date.now() - t0} ms`);
      // every step succeeded: the kernel now holds what the plan says (no need to ask it again)
      after = outcome.failed.size === 0 ? projected(actual, p.steps) : await readActual(this.ip);
    } else if (JSON.stringify(owned) !== JSON.stringify(p.owned)) {
      this.owned = p.owned; // forgot things that vanished
      await saveOwnership(this.opts.stateDir, this.owned);
    }
    const problemsBefore = errors.length;
    for (const m of p.missingLinks) errors.push(`no local interface has MAC ${m} (yet)`);
    let persistent: PersistentOutcome | undefined;
    if (this.opts.persistent && desired.kind === 'complete' && opts.persist !== false) {
      persistent = await this.opts.persistent.apply(desired, after);
      if (persistent.state === 'rolled-back' || persistent.state === 'failed') errors.push(`persistent: ${persistent.message}`);
      if (persistent.state !== 'unchanged')
        log(persistent.state === 'applied' ? 'info' : 'warn', `persistent configuration ${persistent.state}: ${persistent.message}`);
      // the distro's apply command may have reset addresses: put them back at once
      if (persistent.state !== 'unchanged') {
        const again = plan(desired, await readActual(this.ip), this.owned ?? owned);
        if (again.steps.length > 0) {
          const outcome = await applySteps(again.steps, this.ip, undefined, { announce: this.announce });
          this.owned = settleOwnership(again, outcome.failed);
          await saveOwnership(this.opts.stateDir, this.owned);
          errors.push(...outcome.errors);
        }
        after = await readActual(this.ip);
      }
    }
    if (errors.length === 0) this.known = after;
    const status = statusOf(desired, after, this.opts.persistent ? 'persistent' : 'runtime', errors, persistent);
    const onlyLinks = problemsBefore === 0 && errors.length === p.missingLinks.length && desired.kind === 'complete';
    return { desired, plan: p, converged: status.ok, errors, status, waitingForLinks: onlyLinks ? [...p.missingLinks] : [] };
  }

  private async report(status: AgentStatus): Promise<void> {
    try {
      await this.opts.client.report(status);
    } catch (e) {
      this.opts.log('debug', `status report failed: ${(e as Error).message}`);
    }
  }

  /** --once: one pass; resolves with the result (the CLI turns `converged` into the exit code). */
  async once(): Promise<ReconcileResult> {
    const desired = await this.opts.client.desired();
    const r = await this.reconcile(desired);
    if (!this.opts.dryRun) await this.report(r.status);
    return r;
  }

  /**
   * Waits for one of the awaited links to arrive or the metadata to change
   * (a long-poll on the version being applied), whichever comes first, at
   * most timeoutMs; returns what to reconcile next.
   */
  private async linkOrChange(awaiting: { desired: Desired; macs: string[] }, timeoutMs: number): Promise<Desired> {
    const { client, signal } = this.opts;
    const stop = new AbortController();
    const both = signal ? AbortSignal.any([stop.signal, signal]) : stop.signal;
    const version = awaiting.desired.kind === 'unavailable' ? undefined : awaiting.desired.version;
    const t0 = Date.now();
    const changed = (async () => {
      const d = await client.desired({ wait: version, waitMs: timeoutMs, signal: both });
      // answered at once and unchanged (a plain IMDS has no long-poll): only the link or the time ends the wait
      if (d.kind !== 'unavailable' && d.version === version) await sleep(timeoutMs - (Date.now() - t0), both);
      return d;
    })();
    // no /sys to watch: the long-poll alone bounds the wait
    const arrived = linkArrived(awaiting.macs, timeoutMs, both).then((yes) => (yes ? awaiting.desired : new Promise<never>(() => {})));
    const next = await Promise.race([changed, arrived]);
    stop.abort();
    return next;
  }

  /** --watch: until the signal aborts. */
  async watch(): Promise<void> {
    const { client, log, signal } = this.opts;
    const reconcileMs = this.opts.reconcileMs ?? 60_000;
    const waitMs = this.opts.waitMs ?? 25_000;
    let applied: string | undefined;
    let lastFullMs = 0;
    let unavailableFor = 0;
    let retryMs = 0;
    let lastPersisted: string | undefined;
    /** an ENI the metadata names whose link has not arrived: what to apply once it does */
    let awaiting: { desired: Desired; macs: string[] } | undefined;
    let linkRounds = 0;
    let lastMissing = '';
    while (!signal?.aborted) {
      const untilFull = lastFullMs + reconcileMs - Date.now();
      let desired: Desired;
      if (awaiting) {
        desired = await this.linkOrChange(awaiting, Math.max(100, Math.min(LINK_WAIT_MS, waitMs, untilFull)));
        awaiting = undefined;
      } else {
        const canWait = applied !== undefined && retryMs === 0 && untilFull > 0;
        log('debug', canWait ? `waiting for a version other than ${applied}` : 'reading the metadata');
        desired = await client.desired(canWait ? { wait: applied, waitMs: Math.min(waitMs, untilFull), signal } : { signal });
      }
      if (signal?.aborted) break;
      log('debug', `metadata: ${desired.kind}${desired.kind === 'unavailable' ? ` (${desired.reason})` : ` version ${desired.version}`}`);
      if (desired.kind === 'unavailable') {
        // No answer: change nothing, try again later, backing off.
        unavailableFor++;
        const delay = Math.min(5000, 250 * 2 ** Math.min(unavailableFor, 5));
        if (unavailableFor === 1 || unavailableFor % 10 === 0)
          log('warn', `${desired.reason}; keeping the current configuration, retrying in ${delay} ms`);
        await sleep(delay, signal);
        continue;
      }
      if (unavailableFor > 0) log('info', 'metadata service reachable again');
      unavailableFor = 0;
      const due = desired.version !== applied || Date.now() - lastFullMs >= reconcileMs || retryMs > 0;
      if (!due) continue;
      let r: ReconcileResult;
      try {
        // the distro files are rewritten when the version changes, not on every periodic pass
        r = await this.reconcile(desired, { persist: desired.version !== lastPersisted, early: desired.version !== applied });
      } catch (e) {
        log('error', `reconcile failed: ${(e as Error).message}`);
        retryMs = Math.min(5000, Math.max(250, retryMs * 2));
        await sleep(retryMs, signal);
        continue;
      }
      if (r.status.persistent && desired.kind === 'complete') lastPersisted = desired.version;
      lastFullMs = Date.now();
      void this.report(r.status);
      if (r.waitingForLinks.join() !== lastMissing) linkRounds = 0;
      lastMissing = r.waitingForLinks.join();
      if (r.converged) {
        if (applied !== desired.version) log('info', `version ${desired.version} applied`);
        applied = desired.version;
        retryMs = 0;
      } else {
        // an interface not there yet, a failed step, a partial answer: try again soon, backing off
        applied = undefined;
        // (a link /sys shows that the kernel read does not count: after a few rounds, the back-off)
        if (r.waitingForLinks.length > 0 && linkRounds++ < MAX_LINK_ROUNDS) {
          // the Attach is ahead of the NIC: reconcile the moment it arrives (or the metadata changes)
          retryMs = 1;
          awaiting = { desired, macs: r.waitingForLinks };
          log('debug', `waiting for the link of ${r.waitingForLinks.join(', ')}`);
          continue;
        }
        retryMs = Math.min(5000, Math.max(100, retryMs * 2));
        log('debug', `not converged (${r.errors.join('; ') || 'waiting'}); again in ${retryMs} ms`);
        await sleep(retryMs, signal);
      }
    }
  }
}
