// Persistent mode: the distro's network files for what runtime mode applied,
// rendered by src/osconfig, so the addresses survive a reboot.
//
//   render → unchanged? stop → back up every file it replaces (in --state-dir)
//   → run the rendering's prepare commands (its own backups, moving
//     cloud-init's stanzas away) → write the files (including the cloud-init
//     "network: {config: disabled}" switch) → run the apply command
//   → settle: wait for the network daemon to have applied the files
//     (networkd: systemd-networkd-wait-online), bounded
//   → verify: every desired address present, the gateway answers, the
//     metadata service answers — retried until a deadline
//   → on failure restore the backups and run the apply command again.
// Every step has a time limit, so a broken rendering costs a bounded time.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, readdir, rm, stat, writeFile, chmod } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { render, type EniFacts, type Rendering } from '../osconfig/index.ts';
import type { PersistentApplier, PersistentOutcome, Log } from './agent.ts';
import { readActual, systemIp, type IpRunner } from './iproute2.ts';
import type { MetadataClient } from './metadata-client.ts';
import { MAIN_TABLE, type Actual, type Desired, type DesiredInterface } from './model.ts';

/** Ways to break a rendering on purpose (tests of the rollback). */
export const FAULTS = ['bad-gateway', 'bad-syntax'] as const;
type Fault = (typeof FAULTS)[number];

/** Alibaba Cloud's resolvers in a VPC. */
const DNS_SERVERS = ['100.100.2.136', '100.100.2.138'];
const KEEP_BACKUPS = 5;
/** what was last applied (a hash of the renderings), in the state dir */
const APPLIED_FILE = 'persistent-applied.json';
/** where NetworkManager keeps the profiles it writes (keyfile plugin) */
const NM_PROFILE_DIR = '/etc/NetworkManager/system-connections';

/**
 * A rendering whose commands are one shell session carrying state from one
 * command to the next (nmcli: `CON=...` found in prepare, used in apply), and
 * whose configuration lives in the daemon's profiles, not in files we write.
 */
function isSession(r: Rendering): boolean {
  return r.target === 'nmcli';
}

export interface FilesApplierOptions {
  osId: string;
  /** "/" on a real guest; anything else writes below it and skips the rendering's own shell commands */
  root: string;
  stateDir: string;
  client: MetadataClient;
  log: Log;
  /** replaces the rendering's apply commands (systemctl ... where there is no systemd) */
  applyCommand?: string;
  fault?: Fault;
  dryRun?: boolean;
  print?: (line: string) => void;
  /** one apply command may run this long, ms */
  applyTimeoutMs?: number;
  /** verification is retried until this deadline, ms */
  verifyTimeoutMs?: number;
  /** after the apply command, how long to wait for the network daemon to settle before verifying, ms */
  settleTimeoutMs?: number;
  /** where systemd-networkd-wait-online is looked for (tests) */
  waitOnlinePaths?: string[];
  ip?: IpRunner;
}

interface FileBackup {
  path: string;
  existed: boolean;
  mode?: number;
  saved?: string;
}

function run(command: string, timeoutMs: number): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    const timer = setTimeout(() => {
      output += `\n(killed after ${timeoutMs} ms)`;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: 127, output: e.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output: output.trim() });
    });
  });
}

/** What the renderers need to know about one ENI, from the metadata and the local interface name. */
function factsOf(d: DesiredInterface, ifname: string): EniFacts {
  const withV6 = d.ipv6.addresses.length > 0 && d.ipv6.cidr && d.ipv6.gateway;
  // IPv6 prefixes only with the ipv6 section (the renderers need its gateway), as toEniFacts does
  const prefixes = (d.prefixes ?? []).filter((p) => !p.includes(':') || withV6);
  return {
    interfaceName: ifname,
    macAddress: d.mac,
    eniId: d.networkInterfaceId,
    isPrimaryEni: d.primary,
    deviceIndex: d.deviceIndex,
    ipv4: {
      primary: d.ipv4.primary,
      secondaries: d.ipv4.secondaries,
      prefixLength: d.ipv4.prefixLength,
      gateway: d.ipv4.gateway,
      cidrBlock: d.ipv4.cidr,
    },
    ...(d.ipv6.addresses.length > 0 && d.ipv6.cidr && d.ipv6.gateway
      ? { ipv6: { addresses: d.ipv6.addresses, prefixLength: d.ipv6.prefixLength, gateway: d.ipv6.gateway, cidrBlock: d.ipv6.cidr } }
      : {}),
    ...(prefixes.length > 0 ? { prefixes } : {}),
    dnsServers: DNS_SERVERS,
  };
}

/** the first desired IPv4 address not on its link, if any */
function missingAddress(desired: Extract<Desired, { kind: 'complete' }>, actual: Actual): string | undefined {
  for (const d of desired.interfaces) {
    const link = actual.links.find((l) => l.mac === d.mac);
    if (!link) continue;
    for (const a of [d.ipv4.primary, ...d.ipv4.secondaries]) {
      if (!link.addresses.some((x) => x.address === a)) return `${a} is not on ${link.ifname}`;
    }
  }
  return undefined;
}

/** an address of the subnet nobody answers on, for the bad-gateway fault: the default route goes nowhere */
function deadGatewayOf(gateway: string): string {
  const parts = gateway.split('.').map(Number);
  parts[3] = parts[3]! - 1;
  return parts.join('.');
}

/** the main table's IPv4 default route not yet through the gateway the files name, if so */
function missingDefaultRoute(actual: Actual, gateway: string | undefined): string | undefined {
  if (gateway === undefined) return undefined;
  const via = actual.routes.some((r) => r.family === 4 && r.table === MAIN_TABLE && r.dst === 'default' && r.gateway === gateway);
  return via ? undefined : `no default route via ${gateway} yet`;
}

function breakRendering(r: Rendering, fault: Fault, d: DesiredInterface): Rendering {
  const deadGateway = deadGatewayOf(d.ipv4.gateway);
  if (fault === 'bad-gateway' && d.primary && isSession(r)) {
    // nmcli: the gateway is in the commands
    return { ...r, commands: r.commands.map((c) => ({ ...c, run: c.run.split(` ${d.ipv4.gateway}`).join(` ${deadGateway}`) })) };
  }
  const files = r.files.map((f) => {
    if (fault === 'bad-gateway' && d.primary) {
      return { ...f, content: f.content.split(d.ipv4.gateway).join(deadGateway) };
    }
    if (fault === 'bad-syntax' && f.path.includes('/network/'))
      return { ...f, content: `${f.content}\niface ${f.content.includes('eth') ? 'eth0' : 'x'} inet statik\n` };
    return f;
  });
  return { ...r, files };
}

export class FilesApplier implements PersistentApplier {
  private readonly ip: IpRunner;
  /** the local interface each rendering is for */
  private readonly ifnameOf = new WeakMap<Rendering, string>();
  /** the IPv4 default gateway the renderings give the primary ENI (the metadata's, or the fault's dead one) */
  private renderedGateway: string | undefined;
  constructor(private readonly opts: FilesApplierOptions) {
    this.ip = opts.ip ?? systemIp;
  }

  private at(path: string): string {
    return this.opts.root === '/' ? path : join(this.opts.root, path);
  }

  /** The renderings for every desired interface that has a local link. */
  private renderAll(desired: Extract<Desired, { kind: 'complete' }>, actual: Actual): { renderings: Rendering[]; skipped: string[] } {
    this.renderedGateway = undefined;
    const renderings: Rendering[] = [];
    const skipped: string[] = [];
    for (const d of desired.interfaces) {
      const link = actual.links.find((l) => l.mac === d.mac);
      if (!link) {
        skipped.push(d.mac);
        continue;
      }
      let r = render(this.opts.osId, factsOf(d, link.ifname));
      if (this.opts.fault) r = breakRendering(r, this.opts.fault, d);
      renderings.push(r);
      this.ifnameOf.set(r, link.ifname);
      if (d.primary) this.renderedGateway = this.opts.fault === 'bad-gateway' ? deadGatewayOf(d.ipv4.gateway) : d.ipv4.gateway;
    }
    return { renderings, skipped };
  }

  private commands(renderings: Rendering[], stage: 'prepare' | 'apply'): string[] {
    const out: string[] = [];
    for (const r of renderings) for (const c of r.commands) if (c.stage === stage && !out.includes(c.run)) out.push(c.run);
    return out;
  }

  private applyCommands(renderings: Rendering[]): string[] {
    return this.opts.applyCommand ? [this.opts.applyCommand] : this.commands(renderings, 'apply');
  }

  async apply(desired: Extract<Desired, { kind: 'complete' }>, actual: Actual): Promise<PersistentOutcome> {
    const { log } = this.opts;
    let renderings: Rendering[];
    let skipped: string[];
    try {
      ({ renderings, skipped } = this.renderAll(desired, actual));
    } catch (e) {
      return { state: 'failed', message: `rendering for ${this.opts.osId} failed: ${(e as Error).message}` };
    }
    const files = new Map<string, { content: string; mode?: number }>();
    for (const r of renderings) {
      for (const f of r.files) {
        const seen = files.get(f.path);
        if (seen && seen.content !== f.content)
          return { state: 'failed', message: `two interfaces render different content for ${f.path}` };
        files.set(f.path, { content: f.content, mode: f.mode });
      }
    }
    const note = skipped.length ? ` (not yet local: ${skipped.join(', ')})` : '';

    if (this.opts.dryRun) {
      const print = this.opts.print ?? ((l: string) => log('info', l));
      for (const c of this.commands(renderings, 'prepare')) print(`would run: ${c}`);
      for (const [path, f] of files) print(`would write ${this.at(path)}:\n${f.content}`);
      for (const c of this.applyCommands(renderings)) print(`would run: ${c}`);
      return { state: 'unchanged', message: 'dry run' };
    }

    // Nothing to do when every file already holds exactly this, and the
    // command-only configuration (nmcli) was last applied from the same renderings.
    const key = createHash('sha256')
      .update(JSON.stringify(renderings.map((r) => ({ files: r.files, commands: r.commands }))))
      .digest('hex');
    let same = (await this.lastApplied()) === key || !renderings.some(isSession);
    for (const [path, f] of files) {
      const now = await readFile(this.at(path), 'utf8').catch(() => undefined);
      if (now !== f.content) same = false;
    }
    if (same) return { state: 'unchanged', message: `files for ${this.opts.osId} are up to date${note}` };

    const sessions = this.opts.root === '/' ? renderings.filter(isSession) : [];
    const profiles = sessions.length > 0 ? await this.nmProfiles() : [];
    const backups = await this.backUp([...files.keys(), ...profiles]);
    const applyTimeoutMs = this.opts.applyTimeoutMs ?? 30_000;
    if (this.opts.root === '/') {
      for (const c of this.commands(
        renderings.filter((r) => !isSession(r)),
        'prepare',
      )) {
        const r = await run(c, applyTimeoutMs);
        if (r.code !== 0) log('warn', `prepare command failed (${r.code}): ${c}: ${r.output}`);
      }
      // a session's prepare part on its own first (its backups see the files before we write them)
      for (const r of sessions) {
        const p = await run(
          r.commands
            .filter((c) => c.stage === 'prepare')
            .map((c) => c.run)
            .join('\n'),
          applyTimeoutMs,
        );
        if (p.code !== 0) log('warn', `prepare commands failed (${p.code}): ${p.output}`);
      }
    }
    for (const [path, f] of files) {
      await mkdir(dirname(this.at(path)), { recursive: true });
      await writeFile(this.at(path), f.content, { mode: f.mode ?? 0o644 });
      if (f.mode !== undefined) await chmod(this.at(path), f.mode);
    }
    log('info', `wrote ${[...files.keys()].join(', ')} for ${this.opts.osId}`);

    let problem = await this.runApply(renderings, applyTimeoutMs);
    if (!problem) {
      await this.settle(desired, renderings);
      problem = await this.verify(desired);
    }
    if (!problem) {
      await this.saveApplied(key);
      return { state: 'applied', message: `${[...files.keys()].join(', ')} written and applied${note}` };
    }

    log('warn', `persistent configuration did not work (${problem}); restoring the previous files`);
    await this.restore(backups);
    const again =
      sessions.length > 0
        ? await this.restoreProfiles(profiles, sessions, renderings, applyTimeoutMs)
        : await this.runApply(renderings, applyTimeoutMs);
    if (again) return { state: 'failed', message: `${problem}; after restoring the previous files the apply command failed too: ${again}` };
    return { state: 'rolled-back', message: `${problem}; the previous files are back and applied` };
  }

  private async runApply(renderings: Rendering[], timeoutMs: number): Promise<string | undefined> {
    const scripts = this.opts.applyCommand
      ? [this.opts.applyCommand]
      : [
          ...this.commands(
            renderings.filter((r) => !isSession(r)),
            'apply',
          ),
          // a session whole: prepare again (it only looks things up: its backups exist by now), then apply
          ...renderings.filter(isSession).map((r) => ['set -e', ...r.commands.map((c) => c.run)].join('\n')),
        ];
    for (const c of scripts) {
      const r = await run(c, timeoutMs);
      if (r.code !== 0) return `"${c}" exited with ${r.code}: ${r.output.slice(-500)}`;
    }
    return undefined;
  }

  /** The files of NetworkManager's profiles now (by NetworkManager's own account, and its keyfile directory). */
  private async nmProfiles(): Promise<string[]> {
    const r = await run('nmcli -g FILENAME connection show', 10_000);
    const listed =
      r.code === 0
        ? r.output
            .split('\n')
            .map((l) => l.trim())
            .filter((l) => l.startsWith('/'))
        : [];
    const inDir = (await readdir(NM_PROFILE_DIR).catch(() => [] as string[])).map((n) => join(NM_PROFILE_DIR, n));
    return [...new Set([...listed, ...inDir])].sort();
  }

  /**
   * Rollback for NetworkManager: the profile files are back (restore() did
   * that), profiles created since are deleted, NetworkManager rereads them
   * and each touched device takes its restored profile again. (Running the
   * rendering's commands again would only re-apply the broken settings.)
   */
  private async restoreProfiles(
    before: string[],
    sessions: Rendering[],
    renderings: Rendering[],
    timeoutMs: number,
  ): Promise<string | undefined> {
    const created = (await this.nmProfiles()).filter((f) => !before.includes(f));
    for (const f of created) await rm(f, { force: true });
    const devices = [...new Set(sessions.map((r) => this.ifnameOf.get(r)).filter((d): d is string => !!d))];
    const script = ['nmcli connection reload', ...devices.map((d) => `nmcli device reapply ${d} >/dev/null 2>&1 || true`)].join('\n');
    const r = await run(script, timeoutMs);
    if (r.code !== 0) return `"${script}" exited with ${r.code}: ${r.output.slice(-500)}`;
    return this.runApply(
      renderings.filter((x) => !isSession(x)),
      timeoutMs,
    );
  }

  private async lastApplied(): Promise<string | undefined> {
    try {
      return (JSON.parse(await readFile(join(this.opts.stateDir, APPLIED_FILE), 'utf8')) as { key?: string }).key;
    } catch {
      return undefined;
    }
  }

  private async saveApplied(key: string): Promise<void> {
    await mkdir(this.opts.stateDir, { recursive: true });
    await writeFile(join(this.opts.stateDir, APPLIED_FILE), JSON.stringify({ key, osId: this.opts.osId }) + '\n');
  }

  /**
   * After the apply command, before verifying: a network daemon applies its
   * files asynchronously (`netplan apply` returns once systemd-networkd is
   * restarted, not once it has configured the links), and on a slow machine
   * that can outlast the verification's own deadline — which would then roll
   * back a correct rendering — or verification could pass on what was there
   * before the daemon got to the links. So: for the netplan targets,
   * `systemd-networkd-wait-online` for the rendered links (bounded); then, for
   * every target, the desired addresses polled with `ip -json` until they are
   * all on their links and the main table's default route goes through the
   * gateway the files name (NetworkManager commits routes a moment after
   * `nmcli connection up` returns: verifying before that judged the old
   * route). Everything here is bounded by --settle-ms; a daemon
   * that does not settle in time is left to the verification to judge.
   */
  private async settle(desired: Extract<Desired, { kind: 'complete' }>, renderings: Rendering[]): Promise<void> {
    const { log } = this.opts;
    const t0 = Date.now();
    const end = t0 + (this.opts.settleTimeoutMs ?? 30_000);
    const links = [...new Set(renderings.map((r) => this.ifnameOf.get(r)).filter((n): n is string => !!n))];
    if (links.length > 0 && renderings.some((r) => r.target.startsWith('netplan'))) {
      const bin = await this.waitOnline();
      if (bin) {
        const seconds = Math.max(1, Math.floor((end - Date.now()) / 1000));
        const r = await run(`${bin} -q ${links.map((l) => `--interface=${l}`).join(' ')} --timeout=${seconds}`, seconds * 1000 + 2000);
        if (r.code === 0) log('debug', `systemd-networkd reports ${links.join(', ')} configured after ${Date.now() - t0} ms`);
        else
          log(
            'warn',
            `systemd-networkd did not report ${links.join(', ')} configured within ${seconds} s (${r.code}): ${r.output.slice(-300)}`,
          );
      }
    }
    for (;;) {
      const missing = await readActual(this.ip, { ipv6Rules: false }).then(
        (actual) => missingAddress(desired, actual) ?? missingDefaultRoute(actual, this.renderedGateway),
        (e: Error) => e.message,
      );
      if (!missing) {
        log('debug', `network settled after ${Date.now() - t0} ms`);
        return;
      }
      if (Date.now() >= end) {
        log('warn', `network not settled after ${Date.now() - t0} ms: ${missing}`);
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** systemd-networkd-wait-online, where systemd puts it (it is not on PATH), or on PATH */
  private async waitOnline(): Promise<string | undefined> {
    const dirs = this.opts.waitOnlinePaths ?? ['/lib/systemd', '/usr/lib/systemd', ...(process.env.PATH ?? '').split(':').filter(Boolean)];
    for (const d of dirs) {
      const path = join(d, 'systemd-networkd-wait-online');
      if (
        await stat(path).then(
          (st) => st.isFile(),
          () => false,
        )
      )
        return path;
    }
    return undefined;
  }

  /** Every desired address on its link, the gateway answering, the metadata service answering. */
  private async verify(desired: Extract<Desired, { kind: 'complete' }>): Promise<string | undefined> {
    const deadline = Date.now() + (this.opts.verifyTimeoutMs ?? 10_000);
    let problem: string | undefined;
    do {
      problem = await this.check(desired);
      if (!problem) return undefined;
      await new Promise((r) => setTimeout(r, 300));
    } while (Date.now() < deadline);
    return problem;
  }

  private async check(desired: Extract<Desired, { kind: 'complete' }>): Promise<string | undefined> {
    // one read of the kernel's state for the addresses and the default route
    const actual = await readActual(this.ip, { ipv6Rules: false });
    const missing = missingAddress(desired, actual);
    if (missing) return missing;
    const primary = desired.interfaces.find((d) => d.primary);
    if (primary) {
      // The gateway the kernel's default route uses, not only the one the
      // metadata names: that one is on-link and answers whatever route the
      // files made, so only the route's own next hop shows a broken default.
      const hops = actual.routes.filter((r) => r.family === 4 && r.table === MAIN_TABLE && r.dst === 'default').map((r) => r.gateway);
      if (hops.length === 0) return 'no IPv4 default route';
      for (const gateway of new Set([primary.ipv4.gateway, ...hops.filter((g): g is string => !!g)])) {
        const ping = await run(`ping -c1 -W1 ${gateway}`, 3000);
        if (ping.code !== 0 && ping.code !== 127) return `the gateway ${gateway} does not answer`;
      }
    }
    if (!(await this.opts.client.reachable())) return 'the metadata service does not answer';
    return undefined;
  }

  /** Copies each file about to be replaced into <state-dir>/backups/<time>/, noting the ones that did not exist. */
  private async backUp(paths: string[]): Promise<FileBackup[]> {
    const dir = join(this.opts.stateDir, 'backups', new Date().toISOString().replace(/[:.]/g, '-'));
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const out: FileBackup[] = [];
    for (const path of paths) {
      const st = await stat(this.at(path)).catch(() => undefined);
      if (!st) {
        out.push({ path, existed: false });
        continue;
      }
      const saved = join(dir, path);
      await mkdir(dirname(saved), { recursive: true });
      await copyFile(this.at(path), saved);
      out.push({ path, existed: true, mode: st.mode & 0o7777, saved });
    }
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(out, null, 2) + '\n');
    await this.prune();
    return out;
  }

  private async restore(backups: FileBackup[]): Promise<void> {
    for (const b of backups) {
      if (b.existed && b.saved) {
        await copyFile(b.saved, this.at(b.path));
        if (b.mode !== undefined) await chmod(this.at(b.path), b.mode);
      } else {
        await rm(this.at(b.path), { force: true });
      }
    }
  }

  private async prune(): Promise<void> {
    const base = join(this.opts.stateDir, 'backups');
    const all = (await readdir(base).catch(() => [] as string[])).sort();
    for (const old of all.slice(0, Math.max(0, all.length - KEEP_BACKUPS))) await rm(join(base, old), { recursive: true, force: true });
  }
}
