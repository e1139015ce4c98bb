// Small readers for each output format, written independently of the
// renderers: they turn a rendering back into what a guest would configure
// (addresses, default routes, policy rules), so the property tests compare
// meaning, not text.

import { canonicalIp, ipv4Netmask } from '../../../src/osconfig/ip.ts';
import type { Rendering } from '../../../src/osconfig/rendering.ts';

export interface Meaning {
  /** "addr/prefix", sorted */
  addresses: string[];
  /** gateways of default routes in the MAIN table */
  mainDefaults: string[];
  /** "table:gateway" of default routes in other tables */
  tableDefaults: string[];
  /** "from/len:table:priority" */
  rules: string[];
}

const empty = (): Meaning => ({ addresses: [], mainDefaults: [], tableDefaults: [], rules: [] });
const sortAll = (m: Meaning): Meaning => ({
  addresses: [...m.addresses].sort(),
  mainDefaults: [...m.mainDefaults].sort(),
  tableDefaults: [...m.tableDefaults].sort(),
  rules: [...m.rules].sort(),
});

export function netmaskToPrefix(mask: string): number {
  for (let p = 0; p <= 32; p++) if (ipv4Netmask(p) === mask) return p;
  throw new Error(`not a netmask: ${mask}`);
}

const addr = (a: string, prefix: number | string) => `${canonicalIp(a) ?? `BAD(${a})`}/${prefix}`;

export function fileContent(r: Rendering, pathEnd: string): string {
  const f = r.files.find((x) => x.path.endsWith(pathEnd));
  if (!f) throw new Error(`no file ending in ${pathEnd}: ${r.files.map((x) => x.path).join(', ')}`);
  return f.content;
}

// ---------- a YAML subset: block mappings, block sequences, flow sequences, scalars
type Yaml = string | Yaml[] | { [k: string]: Yaml };

export function parseYamlSubset(text: string): Yaml {
  const lines = text
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').replace(/^#.*$/, ''))
    .filter((l) => l.trim() !== '')
    .map((l) => ({ indent: l.length - l.trimStart().length, text: l.trim() }));
  let i = 0;
  const scalar = (s: string): Yaml => {
    if (s.startsWith('[') && s.endsWith(']'))
      return s
        .slice(1, -1)
        .split(',')
        .map((x) => scalar(x.trim()))
        .filter((x) => x !== '');
    if (s.startsWith('"') && s.endsWith('"')) return s.slice(1, -1);
    return s;
  };
  const block = (indent: number): Yaml => {
    if (lines[i].text.startsWith('- ')) {
      const seq: Yaml[] = [];
      while (i < lines.length && lines[i].indent === indent && lines[i].text.startsWith('- ')) {
        const rest = lines[i].text.slice(2);
        if (/^[\w.-]+:( |$)/.test(rest)) {
          // "- key: value" starts a mapping whose other keys sit 2 columns further in
          lines[i] = { indent: indent + 2, text: rest };
          seq.push(block(indent + 2));
        } else {
          seq.push(scalar(rest));
          i++;
        }
      }
      return seq;
    }
    const map: { [k: string]: Yaml } = {};
    while (i < lines.length && lines[i].indent === indent && !lines[i].text.startsWith('- ')) {
      const m = /^([^:]+):(?: (.*))?$/.exec(lines[i].text);
      if (!m) throw new Error(`yaml: cannot read "${lines[i].text}"`);
      i++;
      if (m[2] !== undefined && m[2] !== '') map[m[1]] = scalar(m[2]);
      else map[m[1]] = i < lines.length && lines[i].indent > indent ? block(lines[i].indent) : '';
    }
    return map;
  };
  return block(lines[0].indent);
}

export function netplanMeaning(yamlText: string): Meaning {
  const m = empty();
  const doc = parseYamlSubset(yamlText) as any;
  for (const dev of Object.values(doc.network.ethernets ?? {}) as any[]) {
    for (const a of dev.addresses ?? []) {
      const [ip, p] = String(a).split('/');
      m.addresses.push(addr(ip, p));
    }
    if (dev.gateway4) m.mainDefaults.push(dev.gateway4);
    if (dev.gateway6) m.mainDefaults.push(canonicalIp(dev.gateway6)!);
    for (const r of dev.routes ?? []) {
      if (!['default', '0.0.0.0/0', '::/0'].includes(r.to)) continue;
      if (r.table) m.tableDefaults.push(`${r.table}:${canonicalIp(r.via)}`);
      else m.mainDefaults.push(canonicalIp(r.via)!);
    }
    for (const p of dev['routing-policy'] ?? []) m.rules.push(`${p.from}:${p.table}:${p.priority}`);
  }
  return sortAll(m);
}

// ---------- /etc/network/interfaces
export interface Stanza {
  name: string;
  family: string;
  method: string;
  options: [string, string][];
  auto: boolean;
}

export function parseInterfaces(text: string): Stanza[] {
  const stanzas: Stanza[] = [];
  const autos = new Set<string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [word, ...rest] = line.split(/\s+/);
    if (word === 'auto') rest.forEach((n) => autos.add(n));
    else if (word === 'iface') stanzas.push({ name: rest[0], family: rest[1], method: rest[2], options: [], auto: false });
    else if (word === 'source' || word === 'source-directory') continue;
    else if (stanzas.length > 0) stanzas[stanzas.length - 1].options.push([word, rest.join(' ')]);
    else throw new Error(`option outside a stanza: ${line}`);
  }
  for (const s of stanzas) s.auto = autos.has(s.name);
  return stanzas;
}

const RULE_HOOK = /^ip (-4|-6) rule add from (\S+) lookup (\d+) priority (\d+)$/;
const TABLE_DEFAULT_HOOK = /^ip (-4|-6) route replace default via (\S+) dev \S+ table (\d+)$/;

export function interfacesMeaning(text: string): Meaning {
  const m = empty();
  for (const s of parseInterfaces(text)) {
    if (s.method !== 'static') continue;
    const base = s.name.split(':')[0];
    // like ifupdown: only the FIRST address line of a stanza counts; a stanza of a name
    // that is not "auto" is brought up only with an auto stanza of the same name
    const address = s.options.find(([k]) => k === 'address')?.[1];
    const netmask = s.options.find(([k]) => k === 'netmask')?.[1];
    const brought = s.auto || (s.name === base && parseInterfaces(text).some((o) => o.name === base && o.auto));
    if (address && brought) {
      const [ip, p] = address.split('/');
      m.addresses.push(addr(ip, p ?? (s.family === 'inet' ? netmaskToPrefix(netmask!) : netmask)));
    }
    for (const [k, v] of s.options) {
      if (k === 'gateway') m.mainDefaults.push(canonicalIp(v)!);
      if (k === 'post-up') {
        const rule = RULE_HOOK.exec(v);
        if (rule) m.rules.push(`${rule[2]}:${rule[3]}:${rule[4]}`);
        const def = TABLE_DEFAULT_HOOK.exec(v);
        if (def) m.tableDefaults.push(`${def[3]}:${canonicalIp(def[2])}`);
      }
    }
  }
  return sortAll(m);
}

// ---------- KEY=value files (RHEL and SUSE ifcfg), read like a shell would for our quoting
export function parseAssignments(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) throw new Error(`not an assignment: ${line}`);
    out[m[1]] = m[2].replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
  }
  return out;
}

export function rhelMeaning(r: Rendering, ifname: string): Meaning {
  const m = empty();
  const dir = '/etc/sysconfig/network-scripts/';
  for (const f of r.files.filter((x) => x.path.startsWith(`${dir}ifcfg-${ifname}`))) {
    const v = parseAssignments(f.content);
    if (v.IPADDR) m.addresses.push(addr(v.IPADDR, v.PREFIX ?? netmaskToPrefix(v.NETMASK)));
    if (v.GATEWAY && v.DEFROUTE !== 'no') m.mainDefaults.push(v.GATEWAY);
    if (v.IPV6ADDR) {
      const [ip, p] = v.IPV6ADDR.split('/');
      m.addresses.push(addr(ip, p));
    }
    for (const a of (v.IPV6ADDR_SECONDARIES ?? '').split(/\s+/).filter(Boolean)) {
      const [ip, p] = a.split('/');
      m.addresses.push(addr(ip, p));
    }
    if (v.IPV6_DEFAULTGW && v.IPV6_DEFROUTE !== 'no') m.mainDefaults.push(canonicalIp(v.IPV6_DEFAULTGW.split('%')[0])!);
  }
  for (const f of r.files.filter((x) => /\/route6?-/.test(x.path))) {
    for (const line of f.content.split('\n')) {
      const d = /^default via (\S+) dev \S+ table (\d+)$/.exec(line.trim());
      if (d) m.tableDefaults.push(`${d[2]}:${canonicalIp(d[1])}`);
    }
  }
  for (const f of r.files.filter((x) => /\/rule6?-/.test(x.path))) {
    for (const line of f.content.split('\n')) {
      const d = /^from (\S+) table (\d+) priority (\d+)$/.exec(line.trim());
      if (d) m.rules.push(`${d[1]}:${d[2]}:${d[3]}`);
    }
  }
  return sortAll(m);
}

export function slesMeaning(r: Rendering, ifname: string): Meaning {
  const m = empty();
  const v = parseAssignments(fileContent(r, `/etc/sysconfig/network/ifcfg-${ifname}`));
  for (const [k, value] of Object.entries(v)) {
    const s = /^IPADDR(_\w+)?$/.exec(k);
    if (!s || !value) continue;
    const [ip, p] = value.split('/');
    const suffix = s[1] ?? '';
    m.addresses.push(addr(ip, p ?? v[`PREFIXLEN${suffix}`] ?? netmaskToPrefix(v[`NETMASK${suffix}`])));
  }
  const routes = r.files.find((f) => f.path === '/etc/sysconfig/network/routes');
  for (const line of routes?.content.split('\n') ?? []) {
    const d = /^default\s+(\S+)\s+/.exec(line.trim());
    if (d) m.mainDefaults.push(canonicalIp(d[1])!);
  }
  const ifroute = r.files.find((f) => f.path.endsWith(`/ifroute-${ifname}`));
  for (const line of ifroute?.content.split('\n') ?? []) {
    const d = /^default\s+(\S+)\s+-\s+\S+\s+table (\d+)$/.exec(line.trim());
    if (d) m.tableDefaults.push(`${d[2]}:${canonicalIp(d[1])}`);
    else if (/^default\s/.test(line.trim())) m.mainDefaults.push(line.trim().split(/\s+/)[1]);
  }
  const ifrule = r.files.find((f) => f.path.endsWith(`/ifrule-${ifname}`));
  for (const line of ifrule?.content.split('\n') ?? []) {
    const d = /^ipv[46] from (\S+) table (\d+) priority (\d+)$/.exec(line.trim());
    if (d) m.rules.push(`${d[1]}:${d[2]}:${d[3]}`);
  }
  return sortAll(m);
}

// ---------- nmcli: the property arguments of `nmcli connection modify "$CON" ...`
export function shellWords(s: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  let cur: string | undefined;
  let last = -1;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const piece = m[1] ?? m[2] ?? m[3];
    // pieces written back to back (ab"cd") form one word
    if (cur !== undefined && m.index === last) cur += piece;
    else {
      if (cur !== undefined) words.push(cur);
      cur = piece;
    }
    last = re.lastIndex;
  }
  if (cur !== undefined) words.push(cur);
  return words;
}

export function nmcliProperties(r: Rendering): Map<string, string> {
  const modify = r.commands.filter((c) => /^nmcli connection modify /.test(c.run));
  if (modify.length !== 1) throw new Error(`expected one modify command, got ${modify.length}`);
  const words = shellWords(modify[0].run).slice(4); // nmcli connection modify $CON
  const props = new Map<string, string>();
  for (let i = 0; i < words.length; i += 2) props.set(words[i], words[i + 1]);
  return props;
}

export function nmcliMeaning(r: Rendering): Meaning {
  const m = empty();
  const p = nmcliProperties(r);
  for (const fam of ['ipv4', 'ipv6']) {
    for (const a of (p.get(`${fam}.addresses`) ?? '').split(',').filter(Boolean)) {
      const [ip, pl] = a.trim().split('/');
      m.addresses.push(addr(ip, pl));
    }
    const gw = p.get(`${fam}.gateway`);
    if (gw && p.get(`${fam}.never-default`) !== 'yes') m.mainDefaults.push(canonicalIp(gw)!);
    for (const route of (p.get(`${fam}.routes`) ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean)) {
      const d = /^(0\.0\.0\.0\/0|::\/0) (\S+) table=(\d+)$/.exec(route);
      if (d) m.tableDefaults.push(`${d[3]}:${canonicalIp(d[2])}`);
    }
    for (const rule of (p.get(`${fam}.routing-rules`) ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean)) {
      const d = /^priority (\d+) from (\S+) table (\d+)$/.exec(rule);
      if (d) m.rules.push(`${d[2]}:${d[3]}:${d[1]}`);
    }
  }
  return sortAll(m);
}

// ---------- Windows: the PowerShell script and the netsh batch
export function powershellMeaning(script: string): Meaning {
  const m = empty();
  for (const line of script.split(/\r?\n/)) {
    const a = /^Add-EniAddress -IPAddress '([^']+)' -PrefixLength (\d+) /.exec(line);
    if (a) m.addresses.push(addr(a[1], a[2]));
    const d = /^Add-EniDefaultRoute -DestinationPrefix '([^']+)' -NextHop '([^']+)'$/.exec(line);
    if (d) m.mainDefaults.push(canonicalIp(d[2])!);
  }
  return sortAll(m);
}

export function netshMeaning(batch: string): Meaning {
  const m = empty();
  for (const line of batch.split(/\r?\n/)) {
    const v4 =
      /^netsh interface ipv4 (?:set|add) address name="%IFNAME%" (?:source=static )?address=(\S+) mask=(\S+)(?: gateway=(\S+))?/.exec(line);
    if (v4) {
      m.addresses.push(addr(v4[1], netmaskToPrefix(v4[2])));
      if (v4[3]) m.mainDefaults.push(v4[3]);
    }
    const v6 = /^netsh interface ipv6 add address interface="%IFNAME%" address=([^/\s]+)\/(\d+)/.exec(line);
    if (v6) m.addresses.push(addr(v6[1], v6[2]));
    const r6 = /^netsh interface ipv6 add route prefix=::\/0 interface="%IFNAME%" nexthop=(\S+)$/.exec(line);
    if (r6) m.mainDefaults.push(canonicalIp(r6[1])!);
  }
  return sortAll(m);
}
