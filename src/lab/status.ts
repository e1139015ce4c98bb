// `eniplane lab status`: what the lab's namespaces hold next to what the
// store says they should, per instance and interface, with the agents' own
// reports from the metadata service.
import type { ServiceDeps } from '../service/deps.ts';
import { labInventory } from '../service/lab-inventory.ts';
import { loadAgentStatus } from '../service/instance-metadata.ts';
import { labLayout, labNames } from './layout.ts';
import { ip, linksIn, listNetns } from './netns.ts';
import { isEniplaneProcess } from './processes.ts';
import { readLabState } from './lab.ts';

interface InterfaceReport {
  eniId: string;
  mac: string;
  expectedNs: string;
  actualNs: string | null;
  ifname: string | null;
  up: boolean;
  storeAddresses: string[];
  actualAddresses: string[];
  missing: string[];
  extra: string[];
}

export interface LabReport {
  prefix: string;
  running: { pid: number; metadataPid?: number } | null;
  namespaces: string[];
  vSwitches: { id: string; cidr: string; bridge: string; present: boolean }[];
  instances: { id: string; status: string; ns: string; present: boolean; agentPid: number | null; agent: Record<string, unknown> | null }[];
  interfaces: InterfaceReport[];
  skipped: string[];
}

async function addressesIn(ns: string): Promise<Map<string, { ifname: string; addresses: string[] }>> {
  const out = new Map<string, { ifname: string; addresses: string[] }>();
  const r = await ip(['-n', ns, '-json', 'addr', 'show']);
  if (r.code !== 0) return out;
  for (const l of JSON.parse(r.stdout || '[]') as {
    ifname: string;
    address?: string;
    link_type?: string;
    addr_info?: { local: string; scope: string }[];
  }[]) {
    if (l.link_type !== 'ether' || !l.address) continue;
    out.set(l.address.toLowerCase(), {
      ifname: l.ifname,
      addresses: (l.addr_info ?? []).filter((a) => a.scope === 'global').map((a) => a.local),
    });
  }
  return out;
}

export async function labReport(deps: ServiceDeps, prefix: string, stateDir: string): Promise<LabReport> {
  const names = labNames(prefix);
  const inv = await labInventory(deps);
  const layout = labLayout(inv, prefix);
  const namespaces = listNetns()
    .filter((n) => names.owns(n))
    .sort();
  const state = readLabState(stateDir);
  const running =
    state && isEniplaneProcess(state.pid) ? { pid: state.pid, ...(state.metadataPid ? { metadataPid: state.metadataPid } : {}) } : null;
  const bridges = namespaces.includes(names.router)
    ? new Set((await linksIn(names.router)).filter((l) => l.kind === 'bridge').map((l) => l.ifname))
    : new Set<string>();
  const byMac = new Map<string, { ns: string; ifname: string; addresses: string[] }>();
  const upByMac = new Map<string, boolean>();
  for (const ns of namespaces) {
    if (ns === names.router) continue;
    for (const [mac, v] of await addressesIn(ns)) byMac.set(mac, { ns, ...v });
    for (const l of await linksIn(ns).catch(() => [])) upByMac.set(l.mac, l.up);
  }
  const interfaces: InterfaceReport[] = [];
  for (const e of layout.enis) {
    const stored = inv.enis.find((x) => x.id === e.id)!;
    // only an ENI the guest owns (InUse) should carry its addresses
    const storeAddresses = stored.status === 'InUse' ? stored.addresses.map((a) => a.address) : [];
    const actual = byMac.get(e.mac);
    const actualAddresses = actual?.addresses ?? [];
    interfaces.push({
      eniId: e.id,
      mac: e.mac,
      expectedNs: e.ns,
      actualNs: actual?.ns ?? null,
      ifname: actual?.ifname ?? null,
      up: upByMac.get(e.mac) ?? false,
      storeAddresses,
      actualAddresses,
      missing: storeAddresses.filter((a) => !actualAddresses.includes(a)),
      extra: actualAddresses.filter((a) => !storeAddresses.includes(a)),
    });
  }
  const instances = [];
  for (const i of layout.instances) {
    instances.push({
      id: i.id,
      status: i.status,
      ns: i.ns,
      present: namespaces.includes(i.ns),
      agentPid: state?.agents[i.id] && isEniplaneProcess(state.agents[i.id]!) ? state.agents[i.id]! : null,
      agent: (await loadAgentStatus(deps, i.id)) ?? null,
    });
  }
  return {
    prefix,
    running,
    namespaces,
    skipped: layout.skipped,
    vSwitches: layout.vSwitches.map((v) => ({ id: v.id, cidr: v.cidr, bridge: v.bridge, present: bridges.has(v.bridge) })),
    instances,
    interfaces,
  };
}

export function formatLabReport(r: LabReport): string {
  const lines: string[] = [];
  lines.push(
    `lab ${r.prefix}: ${r.running ? `running (pid ${r.running.pid}, metadata pid ${r.running.metadataPid ?? '-'})` : 'not running'}; namespaces: ${r.namespaces.join(' ') || 'none'}`,
  );
  for (const v of r.vSwitches) lines.push(`vSwitch ${v.id} ${v.cidr} → bridge ${v.bridge} ${v.present ? 'ok' : 'MISSING'}`);
  for (const i of r.instances) {
    const a = i.agent as { ok?: boolean; version?: string; receivedAtMs?: number; errors?: string[] } | null;
    const agent = a
      ? `agent reports ${a.ok ? 'ok' : 'NOT ok'} (version ${a.version}, ${Math.round((Date.now() - (a.receivedAtMs ?? 0)) / 1000)} s ago)${a.errors?.length ? `: ${a.errors.join('; ')}` : ''}`
      : 'no agent report';
    lines.push(
      `instance ${i.id} ${i.status}: namespace ${i.ns} ${i.present ? 'ok' : 'MISSING'}, agent ${i.agentPid ? `pid ${i.agentPid}` : 'not running'}, ${agent}`,
    );
    for (const f of r.interfaces.filter((x) => x.expectedNs === i.ns)) lines.push(formatInterface(f));
  }
  const parked = r.interfaces.filter((x) => !r.instances.some((i) => i.ns === x.expectedNs));
  for (const f of parked) lines.push(`parked ${formatInterface(f).trim()}`);
  for (const s of r.skipped) lines.push(`skipped ${s}`);
  return lines.join('\n');
}

function formatInterface(f: InterfaceReport): string {
  const where =
    f.actualNs === f.expectedNs ? `${f.ifname} ${f.up ? 'UP' : 'DOWN'}` : `in ${f.actualNs ?? 'NOWHERE'} (expected ${f.expectedNs})`;
  const diff = [f.missing.length ? `missing ${f.missing.join(',')}` : '', f.extra.length ? `extra ${f.extra.join(',')}` : '']
    .filter(Boolean)
    .join('; ');
  return `  ${f.eniId} ${f.mac} ${where}: store ${f.storeAddresses.join(',') || '-'} | namespace ${f.actualAddresses.join(',') || '-'}${diff ? `  (${diff})` : ''}`;
}
