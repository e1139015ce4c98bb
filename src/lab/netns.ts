// iproute2 for the lab: every call bounded in time, batches per namespace,
// and a scan of what the lab's namespaces hold now.
import { runIp } from '../agent/iproute2.ts';
import { existsSync, readdirSync } from 'node:fs';

const IP_TIMEOUT_MS = 15_000;

export class LabError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabError';
  }
}

export interface IpResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function ip(args: string[], input?: string): Promise<IpResult> {
  try {
    return await runIp(args, input, IP_TIMEOUT_MS);
  } catch (e) {
    throw new LabError(`cannot run ip: ${(e as Error).message}`);
  }
}

export async function mustIp(args: string[]): Promise<string> {
  const r = await ip(args);
  if (r.code !== 0) throw new LabError(`ip ${args.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout;
}

/**
 * Runs lines with `ip [-n ns] -batch -`; with `force` every line runs and
 * the failures come back as messages, without it the first failure throws.
 */
export async function batch(ns: string | undefined, lines: string[], opts: { force?: boolean } = {}): Promise<string[]> {
  if (lines.length === 0) return [];
  const args = [...(ns ? ['-n', ns] : []), ...(opts.force ? ['-force'] : []), '-batch', '-'];
  const r = await ip(args, lines.join('\n') + '\n');
  if (r.code === 0) return [];
  if (!opts.force) throw new LabError(`ip ${ns ? `-n ${ns} ` : ''}-batch:\n  ${lines.join('\n  ')}\n${r.stderr.trim()}`);
  return r.stderr.split('\n').filter((l) => l.trim());
}

/** Names in /run/netns (where `ip netns add` puts them). */
export function listNetns(): string[] {
  if (!existsSync('/run/netns')) return [];
  return readdirSync('/run/netns');
}

export interface ScannedLink {
  ifname: string;
  mac: string;
  up: boolean;
  kind?: string;
}

/** The ethernet links of a namespace (veths, bridges); loopback left out. */
export async function linksIn(ns: string): Promise<ScannedLink[]> {
  const r = await ip(['-n', ns, '-json', '-details', 'link', 'show']);
  if (r.code !== 0) throw new LabError(`ip -n ${ns} link show: ${r.stderr.trim()}`);
  const links = JSON.parse(r.stdout || '[]') as {
    ifname: string;
    address?: string;
    link_type?: string;
    flags?: string[];
    linkinfo?: { info_kind?: string };
  }[];
  return links
    .filter((l) => l.link_type === 'ether' && l.address)
    .map((l) => ({
      ifname: l.ifname,
      mac: l.address!.toLowerCase(),
      up: (l.flags ?? []).includes('UP'),
      ...(l.linkinfo?.info_kind ? { kind: l.linkinfo.info_kind } : {}),
    }));
}

/** `ip netns exec ns sysctl -qw k=v ...` */
export async function sysctl(ns: string, settings: Record<string, string | number>): Promise<void> {
  const args = ['netns', 'exec', ns, 'sysctl', '-qw', ...Object.entries(settings).map(([k, v]) => `${k}=${v}`)];
  const r = await ip(args);
  if (r.code !== 0) throw new LabError(`sysctl in ${ns}: ${r.stderr.trim()}`);
}

export interface ScannedRoute {
  /** as `ip` prints it: 198.18.1.32/28, 2001:db8:1:0:ab::/80 */
  dst: string;
  via: string;
  dev: string;
}

/** The routes with `proto static` of a namespace, both families: the lab's prefix routes in its router. */
export async function staticRoutesIn(ns: string): Promise<ScannedRoute[]> {
  const out: ScannedRoute[] = [];
  for (const family of ['-4', '-6']) {
    const r = await ip(['-n', ns, '-json', family, 'route', 'show', 'proto', 'static']);
    if (r.code !== 0) throw new LabError(`ip -n ${ns} ${family} route show: ${r.stderr.trim()}`);
    for (const x of JSON.parse(r.stdout || '[]') as { dst: string; gateway?: string; dev?: string }[])
      if (x.gateway && x.dev) out.push({ dst: x.dst, via: x.gateway, dev: x.dev });
  }
  return out;
}
