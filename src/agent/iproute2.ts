// The agent's I/O with the kernel: read the actual state with `ip -json`,
// apply a plan's steps with `ip -batch` (one process per family, -force so
// one failing line does not stop the others; failed lines are reported back
// so the ownership record only claims what really happened).
import { execFile, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { parseAddrJson, parseRouteJson, parseRuleJson } from './ip-json.ts';
import type { Actual, ActualLink, Family, Step } from './model.ts';

const IP_TIMEOUT_MS = 10_000;

export interface IpRunner {
  /** runs `ip args...` (stdin optional); resolves even on a non-zero exit */
  run(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }>;
}

/** Runs `ip` (stdin when given), bounded in time; rejects only when it cannot start. Shared with the lab. */
export function runIp(
  args: string[],
  input?: string,
  timeoutMs = IP_TIMEOUT_MS,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    if (input === undefined) {
      execFile('ip', args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
        if (err && typeof (err as NodeJS.ErrnoException).code === 'string') return reject(err); // ENOENT: no ip binary
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
      return;
    }
    const child = spawn('ip', args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(input);
  });
}

export const systemIp: IpRunner = {
  run: (args, input) => runIp(args, input),
};

async function json(ip: IpRunner, args: string[]): Promise<string> {
  const r = await ip.run(['-json', ...args]);
  if (r.code !== 0) throw new Error(`ip -json ${args.join(' ')} failed: ${r.stderr.trim()}`);
  return r.stdout;
}

/**
 * Links with addresses, policy rules and routes of both families: one `ip`
 * process (addresses, all routes and IPv4 rules in one batch), and a second
 * for the IPv6 rules (they need their own -6), run concurrently, unless
 * `ipv6Rules` is false (the caller owns and wants none: then there is
 * nothing to plan for them, and the reading costs one process less).
 */
export async function readActual(ip: IpRunner = systemIp, opts: { ipv6Rules?: boolean } = {}): Promise<Actual> {
  const [all, rules6] = await Promise.all([
    ip.run(['-json', '-batch', '-'], 'address show\nroute show table all\nrule show\n'),
    opts.ipv6Rules === false ? Promise.resolve('[]') : json(ip, ['-6', 'rule', 'show']),
  ]);
  if (all.code !== 0) throw new Error(`ip -json -batch failed: ${all.stderr.trim()}`);
  const parts = all.stdout.split('\n').filter((l) => l.trim() !== '');
  if (parts.length !== 3) throw new Error(`ip -json -batch: expected 3 answers, got ${parts.length}`);
  return {
    links: parseAddrJson(parts[0]!),
    rules: [...parseRuleJson(parts[2]!, 4), ...parseRuleJson(rules6, 6)],
    routes: parseRouteJson(parts[1]!, 'any'),
  };
}

/** One `ip -batch` line per step (the family comes from the batch's -4/-6). */
function batchLine(s: Exclude<Step, { op: 'promote-secondaries' }>): string {
  switch (s.op) {
    case 'link-up':
      return `link set dev ${s.ifname} up`;
    // an IPv4 address with its broadcast, as DHCP clients and the distros' tools set it: networkd or
    // NetworkManager taking over an address added without one must change it, which some kernels refuse
    case 'addr-add':
      return `address add ${s.address}/${s.prefixLength}${s.family === 4 ? ' brd +' : ''} dev ${s.ifname}`;
    case 'addr-del':
      return `address del ${s.address}/${s.prefixLength} dev ${s.ifname}`;
    case 'route-replace':
    case 'route-del':
      return `route ${s.op === 'route-del' ? 'del' : 'replace'} ${s.dst}${s.gateway ? ` via ${s.gateway}` : ''} dev ${s.ifname} table ${s.table}`;
    case 'rule-add':
    case 'rule-del':
      return `rule ${s.op === 'rule-add' ? 'add' : 'del'} from ${s.src}/${s.family === 4 ? 32 : 128} lookup ${s.table} priority ${s.priority}`;
  }
}

function familyOf(s: Step): Family {
  return 'family' in s ? s.family : 4;
}

export interface ApplyOutcome {
  failed: Set<Step>;
  errors: string[];
  /** each family's links and addresses as the apply's own `ip` process saw them after its lines (when it added addresses) */
  after?: Partial<Record<Family, ActualLink[]>>;
}

/** `ip -json link show` and a family's `ip -json address show` → the links with that family's addresses */
function listing(links: string, addrs: string): ActualLink[] {
  const macOf = new Map((JSON.parse(links) as { ifname: string }[]).map((l) => [l.ifname, l]));
  const merged = (JSON.parse(addrs) as { ifname: string }[]).map((a) => ({ ...macOf.get(a.ifname), ...a }));
  return parseAddrJson(JSON.stringify(merged));
}

/** Every Ethernet link's broadcast address: setting it again changes nothing but makes the kernel announce the link's addresses. */
const ETHER_BROADCAST = 'ff:ff:ff:ff:ff:ff';

/**
 * Turns on announcing for a link (IPv4 `arp_notify`, IPv6 `ndisc_notify`):
 * the kernel then sends a gratuitous ARP for every IPv4 address of the link
 * (an unsolicited NA for every IPv6 one) when the link comes up or its
 * hardware addresses are set. False when it cannot be set (no /proc/sys).
 */
async function enableAnnounce(procSys: string, family: Family, ifname: string): Promise<boolean> {
  const path = family === 4 ? `${procSys}/net/ipv4/conf/${ifname}/arp_notify` : `${procSys}/net/ipv6/conf/${ifname}/ndisc_notify`;
  try {
    await writeFile(path, '1\n');
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs the steps in order: promote_secondaries first (a sysctl), then the
 * IPv4 batch (links, addresses, routes, rules, removals), then the IPv6 one.
 *
 * With `announce`, a batch that adds addresses ends by announcing them: each
 * such link's broadcast address set to what it is (ff:ff:ff:ff:ff:ff) with
 * arp_notify/ndisc_notify on sends a gratuitous ARP / unsolicited NA for each
 * of its addresses, so a neighbour already asking for a new address (a
 * client retrying) learns it now instead of at its next ARP retry. Unlike
 * setting the MAC again, this is harmless on a link that is no longer the
 * ENI planned for (an ENI swapped under the apply): every Ethernet link has
 * that broadcast address. The same process then lists the family's
 * addresses, which takeBackMisplaced() checks the links' MACs against.
 * Only for the agent's own namespace: procSys must be that namespace's.
 */
export async function applySteps(
  steps: Step[],
  ip: IpRunner = systemIp,
  procSys = '/proc/sys',
  opts: { announce?: boolean } = {},
): Promise<ApplyOutcome> {
  const failed = new Set<Step>();
  const errors: string[] = [];
  const after: Partial<Record<Family, ActualLink[]>> = {};
  for (const s of steps) {
    if (s.op !== 'promote-secondaries') continue;
    try {
      await writeFile(`${procSys}/net/ipv4/conf/${s.ifname}/promote_secondaries`, '1\n');
    } catch (e) {
      failed.add(s);
      errors.push(`promote_secondaries on ${s.ifname}: ${(e as Error).message}`);
    }
  }
  for (const family of [4, 6] as const) {
    const batch = steps.filter(
      (s): s is Exclude<Step, { op: 'promote-secondaries' }> => s.op !== 'promote-secondaries' && familyOf(s) === family,
    );
    if (batch.length === 0) continue;
    const adding = [...new Set(batch.flatMap((s) => (s.op === 'addr-add' ? [s.ifname] : [])))];
    const extra: string[] = [];
    if (opts.announce)
      for (const ifname of adding)
        if (await enableAnnounce(procSys, family, ifname)) extra.push(`link set dev ${ifname} broadcast ${ETHER_BROADCAST}`);
    // with -4/-6 `address show` leaves out the links' MACs: `link show` has them
    if (adding.length > 0) extra.push('link show', 'address show');
    const r = await ip.run(
      [...(adding.length > 0 ? ['-json'] : []), `-${family}`, '-force', '-batch', '-'],
      [...batch.map(batchLine), ...extra].join('\n') + '\n',
    );
    if (adding.length > 0) {
      try {
        const [links, addrs] = r.stdout.split('\n').filter((l) => l.trim() !== '');
        after[family] = listing(links ?? '', addrs ?? '');
      } catch {
        /* no listing: takeBackMisplaced reads the kernel itself */
      }
    }
    if (r.code === 0) continue;
    // lines past the steps (the announcement, the listing) are not steps: their failure changes nothing
    const lines = [...r.stderr.matchAll(/Command failed -:(\d+)/g)].map((m) => Number(m[1])).filter((n) => n <= batch.length);
    if (lines.length === 0) {
      if (/Command failed -:\d+/.test(r.stderr)) continue;
      // ip failed before running any line: count them all as failed
      batch.forEach((s) => failed.add(s));
      errors.push(`ip -${family} -batch: ${r.stderr.trim()}`);
      continue;
    }
    const messages = r.stderr.split('\n').filter((l) => l.trim() && !/^Command failed/.test(l));
    for (const n of lines) {
      const s = batch[n - 1];
      if (s) failed.add(s);
    }
    errors.push(`ip -${family}: ${lines.map((n) => batchLine(batch[n - 1]!)).join('; ')} failed: ${messages.join(' | ')}`);
  }
  return { failed, errors, ...(Object.keys(after).length > 0 ? { after } : {}) };
}

/**
 * The addresses an apply just added to a link that, by the time it ran, was
 * no longer the ENI it planned for: an ENI can leave between the kernel read
 * and the apply, and another arrive under the same name (two ENIs swapped
 * between instances at once). Such an address would be held by two instances.
 * Each one still on that wrong link is deleted again (it is the agent's own
 * add of a moment ago, nothing else's) and its step counted as failed, so the
 * ownership record never claims it. Returns what was taken back.
 */
export async function takeBackMisplaced(steps: Step[], outcome: ApplyOutcome, ip: IpRunner = systemIp): Promise<string[]> {
  type AddrStep = Extract<Step, { op: 'addr-add' | 'addr-del' }>;
  const adds = steps.filter((s): s is AddrStep => s.op === 'addr-add' && !outcome.failed.has(s));
  if (adds.length === 0) return [];
  // the apply's own listing when it made one for every family it added to, else the kernel now
  const listed = adds.every((s) => outcome.after?.[s.family] !== undefined);
  const all = listed ? undefined : parseAddrJson(await json(ip, ['address', 'show']));
  const linksOf = (f: Family) => all ?? outcome.after?.[f] ?? [];
  const taken: string[] = [];
  const lines: { family: Family; line: string; step: AddrStep }[] = [];
  for (const s of adds) {
    const link = linksOf(s.family).find((l) => l.ifname === s.ifname);
    if (!link || link.mac === s.mac) continue;
    outcome.failed.add(s);
    outcome.errors.push(`${s.ifname} is no longer ${s.mac} (now ${link.mac}): the ENI moved during the apply`);
    if (link.addresses.some((a) => a.family === s.family && a.address === s.address))
      lines.push({ family: s.family, line: batchLine({ ...s, op: 'addr-del' }), step: s });
  }
  for (const family of [4, 6] as const) {
    const mine = lines.filter((l) => l.family === family);
    if (mine.length === 0) continue;
    const r = await ip.run([`-${family}`, '-force', '-batch', '-'], mine.map((l) => l.line).join('\n') + '\n');
    const bad = new Set([...r.stderr.matchAll(/Command failed -:(\d+)/g)].map((m) => Number(m[1])));
    mine.forEach((l, n) => {
      if (!bad.has(n + 1)) taken.push(`${l.step.address} from ${l.step.ifname}`);
    });
  }
  return taken;
}
