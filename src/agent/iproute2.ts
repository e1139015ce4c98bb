// The agent's I/O with the kernel: read the actual state with `ip -json`,
// apply a plan's steps with `ip -batch` (one process per family, -force so
// one failing line does not stop the others; failed lines are reported back
// so the ownership record only claims what really happened).
import { execFile, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { parseAddrJson, parseRouteJson, parseRuleJson } from './ip-json.ts';
import type { Actual, Family, Step } from './model.ts';

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
 * Links with addresses, policy rules and routes of both families: two `ip`
 * processes (addresses, all routes and IPv4 rules in one batch; IPv6 rules
 * need their own -6), run concurrently.
 */
export async function readActual(ip: IpRunner = systemIp): Promise<Actual> {
  const [all, rules6] = await Promise.all([
    ip.run(['-json', '-batch', '-'], 'address show\nroute show table all\nrule show\n'),
    json(ip, ['-6', 'rule', 'show']),
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
}

/**
 * Runs the steps in order: promote_secondaries first (a sysctl), then the
 * IPv4 batch (links, addresses, routes, rules, removals), then the IPv6 one.
 */
export async function applySteps(steps: Step[], ip: IpRunner = systemIp, procSys = '/proc/sys'): Promise<ApplyOutcome> {
  const failed = new Set<Step>();
  const errors: string[] = [];
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
    const r = await ip.run([`-${family}`, '-force', '-batch', '-'], batch.map(batchLine).join('\n') + '\n');
    if (r.code === 0) continue;
    const lines = [...r.stderr.matchAll(/Command failed -:(\d+)/g)].map((m) => Number(m[1]));
    if (lines.length === 0) {
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
  return { failed, errors };
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
  const links = parseAddrJson(await json(ip, ['address', 'show']));
  const taken: string[] = [];
  const lines: { family: Family; line: string; step: AddrStep }[] = [];
  for (const s of adds) {
    const link = links.find((l) => l.ifname === s.ifname);
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
