// The lab data plane, reconciled from the store: namespaces are instances,
// veths are ENIs (keeping the ENI's MAC), bridges in one router namespace are
// vSwitches. `up` builds it and starts the metadata service and the agents;
// `follow` keeps it in step with the store (new instance → namespace,
// attach/detach → the ENI's veth moves, deleted instance → namespace gone);
// `down` removes everything this lab made.
//
// The lab keeps a model of what it built and acts on differences only (a few
// `ip` processes per change); a full scan of its namespaces every few seconds
// corrects the model if something changed behind its back.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceDeps } from '../service/deps.ts';
import { labInventory } from '../service/lab-inventory.ts';
import { canonicalIpv6 } from '../ipam/index.ts';
import {
  labLayout,
  labNames,
  METADATA_ADDRESS,
  type LabEni,
  type LabInstance,
  type LabLayout,
  type LabPrefixRoute,
  type LabVSwitch,
} from './layout.ts';
import { batch, ip, LabError, linksIn, listNetns, mustIp, staticRoutesIn, sysctl } from './netns.ts';
import { isEniplaneProcess, killPid, supervise, type Supervised } from './processes.ts';
import { CommitWatch } from '../service/commit-watch.ts';

/** the link group of ENI veths on their way out (renamed `d<hash>`, deleted together) */
const DOOMED_GROUP = 99;
const DOOMED_NAME = /^d[0-9a-f]{10}$/;

/** an ENI's router-side veth name for the pair created in one namespace (unique while the old pair is still there) */
function peerIn(e: LabEni): string {
  return `v${createHash('sha1').update(`${e.id}|${e.ns}`).digest('hex').slice(0, 10)}`;
}

/** passes follow commits, but no closer together than this (a stream of API calls commits hundreds of times a second) */
const MIN_PASS_GAP_MS = 20;

/**
 * COMPAT: in a real VPC the virtual switch answers ARP/ND for every address
 * the control plane knows, so a client never waits on an unresolved
 * neighbour. Here the instance itself answers, and the kernel's default
 * retry (1 s) would add up to a second to "the address answers" that the
 * real cloud does not have: the lab's links retry every 100 ms. (Set per
 * link: a namespace has no neigh/default, and a link that changes namespace
 * starts again from the kernel's defaults.)
 */
function neighbourRetry(ifname: string): string[] {
  return [`ntable change name arp_cache dev ${ifname} retrans 100`, `ntable change name ndisc_cache dev ${ifname} retrans 100`];
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** a prefix in the form `ip route` prints and the store keeps alike (IPv6 canonical) */
function canonicalPrefix(cidr: string): string {
  const [a, len] = cidr.split('/');
  return a!.includes(':') ? `${canonicalIpv6(a!)}/${len}` : cidr;
}

export interface LabOptions {
  prefix: string;
  deps: ServiceDeps;
  /** lab.json, the agents' state and the logs */
  stateDir: string;
  /** what `lab metadata` needs to open the same store */
  store: { data: string; database?: string };
  /** start an agent in every running instance */
  agents: boolean;
  /** extra flags for each agent */
  agentArgs?: string[];
  /** how often the store is read, ms */
  intervalMs?: number;
  /** how often the namespaces are scanned in full, ms */
  rescanMs?: number;
  metadataPort?: number;
  /** progress lines */
  print: (line: string) => void;
}

interface Placed {
  ns: string;
  ifname: string;
  up: boolean;
}

export interface LabStateFile {
  prefix: string;
  pid: number;
  startedAt: string;
  metadataPid?: number;
  agents: Record<string, number>;
  namespaces: string[];
}

export function readLabState(stateDir: string): LabStateFile | undefined {
  try {
    return JSON.parse(readFileSync(join(stateDir, 'lab.json'), 'utf8')) as LabStateFile;
  } catch {
    return undefined;
  }
}

export class Lab {
  private readonly names;
  private layout: LabLayout | undefined;
  /** namespaces this lab has */
  private namespaces = new Set<string>();
  /** bridge names in the router */
  private bridges = new Set<string>();
  /** guest-side ends of ENI veths, by MAC */
  private links = new Map<string, Placed>();
  /** IP prefix routes in the router (`proto static`): prefix → "via dev" */
  private routes = new Map<string, string>();
  /** instances whose namespace is powered on (links up, DHCP done) */
  private powered = new Set<string>();
  private readonly agents = new Map<string, Supervised>();
  private metadata: Supervised | undefined;
  private lastScanMs = 0;
  private skippedShown = new Set<string>();

  constructor(private readonly opts: LabOptions) {
    this.names = labNames(opts.prefix);
  }

  get routerNs(): string {
    return this.names.router;
  }

  private say(line: string): void {
    this.opts.print(`lab: ${line}`);
  }

  private saveState(): void {
    const agents: Record<string, number> = {};
    for (const [id, a] of this.agents) {
      const pid = a.pid();
      if (pid) agents[id] = pid;
    }
    const state: LabStateFile = {
      prefix: this.opts.prefix,
      pid: process.pid,
      startedAt: new Date().toISOString(),
      metadataPid: this.metadata?.pid(),
      agents,
      namespaces: [...this.namespaces].sort(),
    };
    mkdirSync(this.opts.stateDir, { recursive: true });
    writeFileSync(join(this.opts.stateDir, 'lab.json'), JSON.stringify(state, null, 2) + '\n');
  }

  /** Builds the router and parking namespaces, starts the metadata service, reconciles once. */
  async up(): Promise<void> {
    if (process.getuid?.() !== 0) throw new LabError('the lab needs root (network namespaces)');
    const previous = readLabState(this.opts.stateDir);
    if (previous && previous.pid !== process.pid && isEniplaneProcess(previous.pid)) {
      throw new LabError(
        `a lab with prefix ${this.opts.prefix} is already running (pid ${previous.pid}); stop it or run \`eniplane lab down --prefix ${this.opts.prefix}\``,
      );
    }
    // leftovers of a lab that died without cleaning up
    for (const pid of [previous?.metadataPid, ...Object.values(previous?.agents ?? {})]) if (pid) await killPid(pid);
    await this.scan(true);
    const { router, park } = this.names;
    if (!this.namespaces.has(router)) {
      this.say(`+ router namespace ${router} (metadata address ${METADATA_ADDRESS})`);
      await mustIp(['netns', 'add', router]);
      this.namespaces.add(router);
      await sysctl(router, {
        'net.ipv4.ip_forward': 1,
        'net.ipv6.conf.all.forwarding': 1,
        'net.ipv6.conf.default.accept_dad': 0,
        'net.ipv6.conf.all.accept_dad': 0,
      });
      await batch(router, ['link set dev lo up', `address add ${METADATA_ADDRESS}/32 dev lo`]);
    }
    if (!this.namespaces.has(park)) {
      this.say(`+ parking namespace ${park} (ENIs attached to nothing)`);
      await mustIp(['netns', 'add', park]);
      this.namespaces.add(park);
    }
    await this.startMetadata();
    await this.reconcile();
    this.saveState();
  }

  private async startMetadata(): Promise<void> {
    const port = this.opts.metadataPort ?? 80;
    const args = [
      'lab',
      'metadata',
      '--listen',
      `${METADATA_ADDRESS}:${port}`,
      '--data',
      this.opts.store.data,
      ...(this.opts.store.database ? ['--database', this.opts.store.database] : []),
    ];
    const { handle, ready } = supervise('metadata service', this.names.router, args, join(this.opts.stateDir, 'metadata.log'), {
      ready: /metadata listening/,
      onEvent: (l) => this.say(l),
    });
    this.metadata = handle;
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new LabError('the metadata service did not start within 20 s')), 20_000).unref(),
    );
    await Promise.race([ready, timeout]);
    this.say(`metadata service listening on ${METADATA_ADDRESS}:${port} in ${this.names.router} (pid ${handle.pid()})`);
  }

  /**
   * Re-reads every lab namespace: the model then matches the kernel. Power
   * state is read only when adopting a lab (`initial`): later, a guest taking
   * its own eth0 down (ifdown) must not look like a power-off to the lab.
   */
  private async scan(initial = false): Promise<void> {
    this.namespaces = new Set(listNetns().filter((n) => this.names.owns(n)));
    this.bridges.clear();
    this.links.clear();
    if (initial) this.powered.clear();
    for (const ns of this.powered) if (!this.namespaces.has(ns)) this.powered.delete(ns);
    for (const ns of this.namespaces) {
      let links;
      try {
        links = await linksIn(ns);
      } catch {
        continue; // deleted meanwhile
      }
      if (ns === this.names.router) {
        for (const l of links) if (l.kind === 'bridge') this.bridges.add(l.ifname);
        this.routes.clear();
        for (const r of await staticRoutesIn(ns).catch(() => [])) this.routes.set(canonicalPrefix(r.dst), `via ${r.via} dev ${r.dev}`);
        continue;
      }
      // a pair a move left behind (its deletion failed): not the ENI, and removed now
      if (links.some((l) => DOOMED_NAME.test(l.ifname))) await batch(ns, [`link delete group ${DOOMED_GROUP}`], { force: true });
      for (const l of links) if (!DOOMED_NAME.test(l.ifname)) this.links.set(l.mac, { ns, ifname: l.ifname, up: l.up });
      const eth0 = links.find((l) => l.ifname === 'eth0');
      if (initial && ns !== this.names.park && eth0?.up) this.powered.add(ns);
    }
    this.lastScanMs = Date.now();
  }

  /** One pass: read the store, change what differs. */
  async reconcile(): Promise<void> {
    if (Date.now() - this.lastScanMs > (this.opts.rescanMs ?? 5000)) await this.scan();
    const layout = labLayout(await labInventory(this.opts.deps), this.opts.prefix);
    this.layout = layout;
    for (const s of layout.skipped) {
      if (!this.skippedShown.has(s)) this.say(`skipped ${s}`);
      this.skippedShown.add(s);
    }
    let changed = false;
    for (const v of layout.vSwitches)
      if (!this.bridges.has(v.bridge)) {
        await this.addBridge(v);
        changed = true;
      }
    for (const i of layout.instances)
      if (!this.namespaces.has(i.ns)) {
        await this.addInstance(i);
        changed = true;
      }
    const wanted = new Set(layout.enis.map((e) => e.mac));
    const moves: { e: LabEni; at: Placed }[] = [];
    for (const e of layout.enis) {
      const at = this.links.get(e.mac);
      if (!at) changed = (await this.addEni(e)) || changed;
      else if (at.ns !== e.ns || at.ifname !== e.ifname) moves.push({ e, at });
    }
    if (moves.length > 0) {
      await this.moveEnis(moves);
      changed = true;
    }
    for (const [mac, at] of [...this.links]) {
      if (wanted.has(mac)) continue;
      this.say(`- ENI veth ${at.ifname} (${mac}) in ${at.ns}: the ENI is gone`);
      await ip(['-n', at.ns, 'link', 'del', 'dev', at.ifname]);
      this.links.delete(mac);
      changed = true;
    }
    const instNs = new Set(layout.instances.map((i) => i.ns));
    for (const ns of [...this.namespaces]) {
      if (ns === this.names.router || ns === this.names.park || instNs.has(ns)) continue;
      await this.removeInstanceNs(ns);
      changed = true;
    }
    for (const i of layout.instances) changed = (await this.power(i)) || changed;
    await this.routePrefixes(layout.prefixRoutes);
    const bridgesWanted = new Set(layout.vSwitches.map((v) => v.bridge));
    for (const b of [...this.bridges]) {
      if (bridgesWanted.has(b)) continue;
      this.say(`- bridge ${b}: its vSwitch is gone`);
      await ip(['-n', this.names.router, 'link', 'del', 'dev', b]);
      this.bridges.delete(b);
      changed = true;
    }
    if (changed) this.saveState();
  }

  /**
   * Each assigned prefix routed to its ENI (LabPrefixRoute): an address the
   * guest adds inside it answers, wherever on the guest it puts it; an
   * unassigned one is routed no more. Bridges are added before, removed after.
   */
  private async routePrefixes(wanted: LabPrefixRoute[]): Promise<void> {
    const want = new Map(wanted.map((r) => [canonicalPrefix(r.prefix), { r, how: `via ${r.via} dev ${r.bridge}` }]));
    const lines: string[] = [];
    for (const [prefix, { r, how }] of want) {
      if (this.routes.get(prefix) === how) continue;
      this.say(`+ route ${prefix} ${how} (IP prefix of ${r.eniId})`);
      lines.push(`route replace ${prefix} ${how} proto static`);
      this.routes.set(prefix, how);
    }
    for (const [prefix, how] of [...this.routes]) {
      if (want.has(prefix)) continue;
      this.say(`- route ${prefix} ${how}: the prefix is unassigned or its ENI unbound`);
      lines.push(`route del ${prefix} ${how}`);
      this.routes.delete(prefix);
    }
    const msgs = await batch(this.names.router, lines, { force: true });
    if (msgs.length > 0) {
      this.say(`prefix routes: ${msgs.join(' | ')} (the next pass re-reads the router)`);
      this.lastScanMs = 0;
    }
  }

  private async addBridge(v: LabVSwitch): Promise<void> {
    this.say(
      `+ vSwitch ${v.id} ${v.cidr}${v.ipv6 ? ` ${v.ipv6.cidr}` : ''} → bridge ${v.bridge} ${v.mac} (gateway ${v.gateway}${v.ipv6 ? `, ${v.ipv6.gateway}` : ''})`,
    );
    await batch(this.names.router, [
      // a MAC given at creation (addr_assign_type 3) is never replaced by a port's: the gateway's MAC stays put
      `link add ${v.bridge} address ${v.mac} type bridge`,
      `address add ${v.gateway}/${v.prefixLength} dev ${v.bridge}`,
      ...(v.ipv6 ? [`address add ${v.ipv6.gateway}/${v.ipv6.prefixLength} dev ${v.bridge} nodad`] : []),
      `link set dev ${v.bridge} up`,
      ...neighbourRetry(v.bridge),
    ]);
    this.bridges.add(v.bridge);
  }

  private async addInstance(i: LabInstance): Promise<void> {
    this.say(`+ instance ${i.id} → namespace ${i.ns}`);
    await mustIp(['netns', 'add', i.ns]);
    this.namespaces.add(i.ns);
    // The "image": ARP answered only on the link holding the address (two
    // ENIs share a subnet), no reverse-path filter (replies may leave by
    // another ENI), no IPv6 DAD delay. New links inherit `default`.
    await sysctl(i.ns, {
      'net.ipv4.conf.all.arp_ignore': 1,
      'net.ipv4.conf.all.arp_announce': 2,
      'net.ipv4.conf.default.arp_ignore': 1,
      'net.ipv4.conf.default.arp_announce': 2,
      'net.ipv4.conf.all.rp_filter': 0,
      'net.ipv4.conf.default.rp_filter': 0,
      'net.ipv6.conf.all.accept_dad': 0,
      'net.ipv6.conf.default.accept_dad': 0,
    });
    await batch(i.ns, ['link set dev lo up']);
  }

  /** Creates an ENI's veth where the layout says. */
  private async addEni(e: LabEni): Promise<boolean> {
    await batch(e.ns, [
      `link add ${e.ifname} address ${e.mac} type veth peer name ${e.peer} netns ${this.names.router}`,
      ...neighbourRetry(e.ifname),
    ]);
    await batch(this.names.router, [`link set dev ${e.peer} master ${e.bridge}`, `link set dev ${e.peer} up`]);
    this.links.set(e.mac, { ns: e.ns, ifname: e.ifname, up: false });
    this.say(`+ ENI ${e.id} (${e.mac}) → ${e.ifname} in ${e.ns}`);
    return true;
  }

  /**
   * Moves ENIs: each arrives as a new veth pair, created where it belongs
   * under its final name with the ENI's MAC (its other end on the vSwitch's
   * bridge), DOWN and without addresses — the agent there configures it; the
   * old pair is renamed out of the way first and deleted last. Moving a veth
   * to another namespace costs the kernel an RCU barrier each, under the
   * RTNL lock (≈ 17-40 ms on the loaded 2-core machine: 50 ENIs of a host
   * failure took 0.9-2 s, and every agent's `ip` waited behind them);
   * creating a pair in place costs about 3 ms, and the old pairs of one
   * namespace go in one `link delete group` (one barrier for all). Per
   * namespace: one batch where they leave, one where they arrive, one in the
   * router, and the deletion. Every departure runs before any arrival, so in
   * a swap the name an ENI gets (eth1) has already been given up. The MAC is
   * the ENI's, so neighbours' caches stay right; the bridge forgets the old
   * port when it is deleted, and the agent's announcement teaches it the new.
   */
  private async moveEnis(moves: { e: LabEni; at: Placed }[]): Promise<void> {
    const t0 = Date.now();
    const group = (key: (m: { e: LabEni; at: Placed }) => string) => {
      const out = new Map<string, { e: LabEni; at: Placed }[]>();
      for (const m of moves) out.set(key(m), [...(out.get(key(m)) ?? []), m]);
      return out;
    };
    const leaving = group((m) => m.at.ns);
    for (const [ns, ms] of leaving) {
      const msgs = await batch(
        ns,
        ms.flatMap(({ e, at }) => [`link set dev ${at.ifname} down`, `link set dev ${at.ifname} name ${e.doomed} group ${DOOMED_GROUP}`]),
        { force: true },
      );
      if (msgs.length > 0) this.say(`moving ENIs out of ${ns}: ${msgs.join(' | ')}`);
    }
    const created = new Set<string>();
    for (const [ns, ms] of group((m) => m.e.ns)) {
      const lines = ms.map(({ e }) => `link add ${e.ifname} address ${e.mac} type veth peer name ${peerIn(e)} netns ${this.names.router}`);
      const msgs = await batch(ns, lines, { force: true });
      const failed = new Set(msgs.flatMap((m) => /Command failed -:(\d+)/.exec(m)?.[1] ?? []).map(Number));
      ms.forEach(({ e }, n) => {
        if (!failed.has(n + 1)) created.add(e.mac);
      });
      if (msgs.length > 0) {
        this.say(`moving ENIs into ${ns}: ${msgs.join(' | ')} (the next pass re-reads the namespaces)`);
        this.lastScanMs = 0;
      }
      await batch(
        ns,
        ms.filter(({ e }) => created.has(e.mac)).flatMap(({ e }) => neighbourRetry(e.ifname)),
        { force: true },
      );
    }
    const arrived = moves.filter(({ e }) => created.has(e.mac));
    await batch(
      this.names.router,
      arrived.flatMap(({ e }) => [`link set dev ${peerIn(e)} master ${e.bridge}`, `link set dev ${peerIn(e)} up`]),
      { force: true },
    );
    for (const { e, at } of moves) {
      if (!created.has(e.mac)) {
        this.links.delete(e.mac);
        continue;
      }
      this.links.set(e.mac, { ns: e.ns, ifname: e.ifname, up: false });
      this.say(
        `~ ENI ${e.id} (${e.mac}) moved ${at.ns} → ${e.ns} as ${e.ifname} (${Date.now() - t0} ms${moves.length > 1 ? `, ${moves.length} at once` : ''})`,
      );
    }
    for (const ns of leaving.keys()) await batch(ns, [`link delete group ${DOOMED_GROUP}`], { force: true });
  }

  /** Running → eth0 up with its address and default route (DHCP's job), agent started; otherwise links down, agent stopped. */
  private async power(i: LabInstance): Promise<boolean> {
    const on = this.powered.has(i.ns);
    if (i.on === on) {
      if (i.on) this.ensureAgent(i);
      return false;
    }
    const linksHere = [...this.links.entries()].filter(([, p]) => p.ns === i.ns);
    if (i.on) {
      const eth0 = linksHere.find(([mac]) => mac === i.primaryMac);
      if (!eth0) return false; // its veth appears on the next pass
      await batch(i.ns, [
        `link set dev ${eth0[1].ifname} up`,
        `address replace ${i.primaryIp}/${i.prefixLength} brd + dev ${eth0[1].ifname}`,
        `route replace default via ${i.gateway} dev ${eth0[1].ifname}`,
      ]);
      eth0[1].up = true;
      this.powered.add(i.ns);
      this.say(`instance ${i.id} is ${i.status}: ${eth0[1].ifname} up with ${i.primaryIp}/${i.prefixLength} via ${i.gateway}`);
      this.ensureAgent(i);
    } else {
      await this.stopAgent(i.id);
      await batch(
        i.ns,
        linksHere.map(([, p]) => `link set dev ${p.ifname} down`),
        { force: true },
      );
      for (const [, p] of linksHere) p.up = false;
      this.powered.delete(i.ns);
      this.say(`instance ${i.id} is ${i.status}: powered off (links down, agent stopped)`);
    }
    return true;
  }

  private ensureAgent(i: LabInstance): void {
    if (!this.opts.agents || this.agents.has(i.id)) return;
    const stateDir = join(this.opts.stateDir, 'agents', i.id);
    const args = [
      'agent',
      '--watch',
      '--metadata-url',
      `http://${METADATA_ADDRESS}${this.opts.metadataPort && this.opts.metadataPort !== 80 ? `:${this.opts.metadataPort}` : ''}`,
      '--state-dir',
      stateDir,
      ...(this.opts.agentArgs ?? []),
    ];
    const { handle } = supervise(`agent of ${i.id}`, i.ns, args, `${stateDir}.log`, { onEvent: (l) => this.say(l) });
    this.agents.set(i.id, handle);
    this.say(`agent started in ${i.ns} (pid ${handle.pid()}, log ${stateDir}.log)`);
    this.saveState();
  }

  private async stopAgent(instanceId: string): Promise<void> {
    const a = this.agents.get(instanceId);
    if (!a) return;
    this.agents.delete(instanceId);
    await a.stop();
  }

  private async removeInstanceNs(ns: string): Promise<void> {
    const id = ns.slice(this.opts.prefix.length + 1);
    await this.stopAgent(id);
    // ENI veths still in there go down with the namespace (the layout moved the living ones out already)
    for (const [mac, p] of [...this.links]) if (p.ns === ns) this.links.delete(mac);
    await ip(['netns', 'del', ns]);
    this.namespaces.delete(ns);
    this.powered.delete(ns);
    this.say(`- instance ${id}: namespace ${ns} deleted`);
  }

  /**
   * Reconciles until the signal aborts: at once after a commit to the store
   * (any process: an Attach moves its ENI within a few ms), at most every
   * MIN_PASS_GAP_MS while commits keep coming, and every intervalMs anyway
   * (a store without a commit counter, PostgreSQL, is followed by that alone).
   */
  async follow(signal: AbortSignal): Promise<void> {
    const interval = this.opts.intervalMs ?? 200;
    const commits = new CommitWatch(this.opts.deps.store);
    while (!signal.aborted) {
      const t0 = Date.now();
      const seen = commits.counter();
      try {
        await this.reconcile();
      } catch (e) {
        this.say(`reconcile failed: ${(e as Error).message}`);
        await this.scan().catch(() => {});
      }
      const gap = MIN_PASS_GAP_MS - (Date.now() - t0);
      if (gap > 0) await sleep(gap, signal);
      const left = interval - (Date.now() - t0);
      if (left > 0) await commits.changed(seen, left, signal);
    }
  }

  /** Stops the agents and the metadata service, deletes every namespace of this lab. */
  async down(): Promise<void> {
    for (const id of [...this.agents.keys()]) await this.stopAgent(id);
    await this.metadata?.stop();
    this.metadata = undefined;
    await teardown(this.opts.prefix, this.opts.stateDir, (l) => this.say(l));
  }

  summary(): { instances: number; enis: number; vSwitches: number } {
    return {
      instances: this.layout?.instances.length ?? 0,
      enis: this.layout?.enis.length ?? 0,
      vSwitches: this.layout?.vSwitches.length ?? 0,
    };
  }
}

/** Everything a lab with this prefix made: its processes (by recorded pid) and namespaces (by name). */
export async function teardown(prefix: string, stateDir: string, say: (line: string) => void): Promise<void> {
  const names = labNames(prefix);
  const state = readLabState(stateDir);
  if (state && state.pid !== process.pid && isEniplaneProcess(state.pid)) {
    say(`stopping the running lab (pid ${state.pid})`);
    await killPid(state.pid, 15_000);
  }
  for (const pid of [state?.metadataPid, ...Object.values(state?.agents ?? {})]) if (pid) await killPid(pid);
  const mine = listNetns().filter((n) => names.owns(n));
  for (const ns of mine) {
    await ip(['netns', 'del', ns]);
    say(`- namespace ${ns}`);
  }
  rmSync(join(stateDir, 'lab.json'), { force: true });
}
