// Checks ENI facts (from a --facts JSON file, the console or the metadata
// service) and reports EVERY problem at once, then hands back normalised facts
// (canonical address text, lower-case MAC) so the renderers never see two
// spellings of one address. Shape errors come from zod; the network rules
// (addresses inside the vSwitch CIDR, no duplicates, ...) are plain code that
// runs on whatever parts are well-formed, so one bad field hides nothing else.

import { z } from 'zod';
import type { EniFacts } from './facts.ts';
import type { FactsProblem } from './errors.ts';
import {
  broadcastOf,
  canonicalCidr,
  cidrContains,
  formatIp,
  isIpv6LinkLocal,
  isNetworkAligned,
  networkOf,
  parseCidr,
  parseIp,
  type IpFamily,
  type ParsedCidr,
  type ParsedIp,
} from './ip.ts';
import {
  MAX_DEVICE_INDEX,
  MAX_DNS_SERVERS,
  MAX_IPV6_PER_ENI,
  MAX_LINUX_IFNAME_LENGTH,
  MAX_IPV4_PREFIX_LENGTH,
  MAX_PRIVATE_IPV4_PER_ENI,
  MIN_IPV4_PREFIX_LENGTH,
} from './limits.ts';

const factsShape = z.strictObject({
  interfaceName: z.string(),
  macAddress: z.string(),
  eniId: z.string().optional(),
  isPrimaryEni: z.boolean(),
  deviceIndex: z.number().int(),
  ipv4: z.strictObject({
    primary: z.string(),
    secondaries: z.array(z.string()),
    prefixLength: z.number().int(),
    gateway: z.string(),
    cidrBlock: z.string(),
  }),
  ipv6: z
    .strictObject({
      addresses: z.array(z.string()),
      prefixLength: z.number().int(),
      gateway: z.string(),
      cidrBlock: z.string(),
    })
    .optional(),
  prefixes: z.array(z.string()).optional(),
  dnsServers: z.array(z.string()),
});

export type FactsValidation = { ok: true; facts: EniFacts } | { ok: false; problems: FactsProblem[] };

// Interface names go unquoted into shell lines and file names: keep them plain.
const LINUX_IFNAME = /^[A-Za-z0-9_.-]+$/;
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;
const ENI_ID = /^[A-Za-z0-9-]{1,64}$/;

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

export function validateFacts(input: unknown): FactsValidation {
  const problems: FactsProblem[] = [];
  const shape = factsShape.safeParse(input);
  if (!shape.success) {
    for (const issue of shape.error.issues) {
      problems.push({ path: issue.path.map(String).join('.'), message: issue.message });
    }
  }
  if (isObject(input)) checkRules(input, problems);
  if (problems.length > 0 || !shape.success) return { ok: false, problems };
  return { ok: true, facts: normalise(shape.data) };
}

function checkRules(raw: Raw, problems: FactsProblem[]): void {
  const add = (path: string, message: string) => problems.push({ path, message });
  const { interfaceName, macAddress, eniId, deviceIndex, isPrimaryEni } = raw;

  if (typeof interfaceName === 'string' && (!LINUX_IFNAME.test(interfaceName) || interfaceName.length > MAX_LINUX_IFNAME_LENGTH)) {
    add('interfaceName', `must be 1-${MAX_LINUX_IFNAME_LENGTH} characters of A-Z a-z 0-9 _ . - (a Linux interface name such as eth0)`);
  }
  if (typeof macAddress === 'string' && !MAC.test(macAddress.toLowerCase())) {
    add('macAddress', 'must look like 00:16:3e:12:34:56');
  } else if (typeof macAddress === 'string' && (parseInt(macAddress.slice(0, 2), 16) & 1) === 1) {
    add('macAddress', 'is a multicast MAC; an ENI has a unicast one');
  }
  if (typeof eniId === 'string' && !ENI_ID.test(eniId)) add('eniId', 'must be letters, digits and "-" (eni-...)');
  if (isInt(deviceIndex) && (deviceIndex < 0 || deviceIndex > MAX_DEVICE_INDEX)) {
    add('deviceIndex', `must be 0..${MAX_DEVICE_INDEX}`);
  }
  if (isInt(deviceIndex) && typeof isPrimaryEni === 'boolean' && isPrimaryEni !== (deviceIndex === 0)) {
    add('deviceIndex', isPrimaryEni ? 'the primary ENI has device index 0' : 'a secondary ENI has device index 1 or more');
  }

  const taken = new Map<string, string>(); // canonical address -> where it was first seen
  if (isObject(raw.ipv4)) checkIpv4(raw.ipv4, add, taken);
  if (isObject(raw.ipv6)) checkIpv6(raw.ipv6, add, taken);
  if (Array.isArray(raw.prefixes)) checkPrefixes(raw, raw.prefixes, add);
  if (Array.isArray(raw.dnsServers)) {
    if (raw.dnsServers.length > MAX_DNS_SERVERS) add('dnsServers', `at most ${MAX_DNS_SERVERS} (the resolver ignores the rest)`);
    const seen = new Set<string>();
    raw.dnsServers.forEach((s, i) => {
      if (typeof s !== 'string') return;
      const ip = parseIp(s);
      if (!ip) add(`dnsServers.${i}`, `"${s}" is not an IP address`);
      else if (seen.has(formatIp(ip))) add(`dnsServers.${i}`, `${s} is listed twice`);
      else seen.add(formatIp(ip));
    });
  }
}

type Add = (path: string, message: string) => void;

interface FamilyRules {
  family: IpFamily;
  section: 'ipv4' | 'ipv6';
  /** the network and broadcast addresses are unusable (IPv4 only) */
  reservedEnds: boolean;
}

function checkCidr(raw: Raw, rules: FamilyRules, add: Add): ParsedCidr | undefined {
  const { section, family } = rules;
  if (typeof raw.cidrBlock !== 'string') return undefined;
  const cidr = parseCidr(raw.cidrBlock);
  if (!cidr || cidr.family !== family) {
    add(`${section}.cidrBlock`, `"${raw.cidrBlock}" is not an IPv${family} CIDR`);
    return undefined;
  }
  if (!isNetworkAligned(cidr)) {
    add(
      `${section}.cidrBlock`,
      `${raw.cidrBlock} has host bits set (did you mean ${formatIp({ family, value: networkOf(cidr, cidr.prefixLength) })}/${cidr.prefixLength}?)`,
    );
  }
  if (isInt(raw.prefixLength) && raw.prefixLength !== cidr.prefixLength) {
    add(`${section}.prefixLength`, `is ${raw.prefixLength} but cidrBlock is a /${cidr.prefixLength}`);
  }
  return cidr;
}

/** parses one address and checks it against the CIDR and the addresses already seen */
function checkAddress(
  text: unknown,
  path: string,
  rules: FamilyRules,
  cidr: ParsedCidr | undefined,
  add: Add,
  taken: Map<string, string>,
): ParsedIp | undefined {
  if (typeof text !== 'string') return undefined;
  const ip = parseIp(text);
  if (!ip || ip.family !== rules.family) {
    add(path, `"${text}" is not an IPv${rules.family} address`);
    return undefined;
  }
  if (cidr && !cidrContains(cidr, ip)) {
    add(path, `${text} is outside the vSwitch CIDR ${canonicalCidr(cidr)}`);
  } else if (cidr && rules.reservedEnds && (ip.value === networkOf(cidr, cidr.prefixLength) || ip.value === broadcastOf(cidr))) {
    add(path, `${text} is the network or broadcast address of ${canonicalCidr(cidr)}`);
  }
  const key = formatIp(ip);
  const first = taken.get(key);
  if (first) add(path, `${text} is also ${first}`);
  else taken.set(key, path);
  return ip;
}

function checkIpv4(raw: Raw, add: Add, taken: Map<string, string>): void {
  const rules: FamilyRules = { family: 4, section: 'ipv4', reservedEnds: true };
  if (isInt(raw.prefixLength) && (raw.prefixLength < MIN_IPV4_PREFIX_LENGTH || raw.prefixLength > MAX_IPV4_PREFIX_LENGTH)) {
    add('ipv4.prefixLength', `must be ${MIN_IPV4_PREFIX_LENGTH}..${MAX_IPV4_PREFIX_LENGTH} (the vSwitch sizes Alibaba allows)`);
  }
  const cidr = checkCidr(raw, rules, add);
  checkAddress(raw.gateway, 'ipv4.gateway', rules, cidr, add, taken);
  checkAddress(raw.primary, 'ipv4.primary', rules, cidr, add, taken);
  if (Array.isArray(raw.secondaries)) {
    if (raw.secondaries.length > MAX_PRIVATE_IPV4_PER_ENI - 1) {
      add(
        'ipv4.secondaries',
        `at most ${MAX_PRIVATE_IPV4_PER_ENI - 1} (an ENI holds at most ${MAX_PRIVATE_IPV4_PER_ENI} private IPv4 addresses)`,
      );
    }
    raw.secondaries.forEach((s, i) => checkAddress(s, `ipv4.secondaries.${i}`, rules, cidr, add, taken));
  }
}

function checkIpv6(raw: Raw, add: Add, taken: Map<string, string>): void {
  const rules: FamilyRules = { family: 6, section: 'ipv6', reservedEnds: false };
  if (isInt(raw.prefixLength) && (raw.prefixLength < 1 || raw.prefixLength > 128)) {
    add('ipv6.prefixLength', 'must be 1..128 (64 on Alibaba Cloud)');
  }
  const cidr = checkCidr(raw, rules, add);
  if (typeof raw.gateway === 'string') {
    const gw = parseIp(raw.gateway);
    if (gw?.family === 6 && isIpv6LinkLocal(gw.value)) {
      // a link-local gateway (fe80::...) is legal and lives outside the vSwitch CIDR
    } else {
      checkAddress(raw.gateway, 'ipv6.gateway', rules, cidr, add, taken);
    }
  }
  if (Array.isArray(raw.addresses)) {
    if (raw.addresses.length === 0) add('ipv6.addresses', 'leave out "ipv6" when the ENI has no IPv6 address');
    if (raw.addresses.length > MAX_IPV6_PER_ENI) add('ipv6.addresses', `at most ${MAX_IPV6_PER_ENI}`);
    raw.addresses.forEach((a, i) => checkAddress(a, `ipv6.addresses.${i}`, rules, cidr, add, taken));
  }
}

/**
 * IP prefixes: aligned CIDRs inside the vSwitch CIDR of their family, apart
 * from each other; an IPv6 one needs the ipv6 section (the guest's IPv6
 * gateway comes with it).
 */
function checkPrefixes(raw: Raw, prefixes: unknown[], add: Add): void {
  const seen: { cidr: ParsedCidr; path: string }[] = [];
  prefixes.forEach((p, i) => {
    const path = `prefixes.${i}`;
    if (typeof p !== 'string') return;
    const cidr = parseCidr(p);
    if (!cidr) return add(path, `"${p}" is not a CIDR`);
    if (!isNetworkAligned(cidr)) return add(path, `${p} has host bits set`);
    const section = cidr.family === 4 ? raw.ipv4 : raw.ipv6;
    if (!isObject(section)) return add(path, `an IPv${cidr.family} prefix needs the ipv${cidr.family} section`);
    const outer = typeof section.cidrBlock === 'string' ? parseCidr(section.cidrBlock) : undefined;
    if (outer && outer.family === cidr.family && (cidr.prefixLength < outer.prefixLength || !cidrContains(outer, cidr)))
      add(path, `${p} is outside the vSwitch CIDR ${section.cidrBlock}`);
    const clash = seen.find((s) => s.cidr.family === cidr.family && (cidrContains(s.cidr, cidr) || cidrContains(cidr, s.cidr)));
    if (clash) add(path, `${p} overlaps ${clash.path}`);
    seen.push({ cidr, path });
  });
}

const canon = (text: string): string => formatIp(parseIp(text)!);

function normalise(f: z.infer<typeof factsShape>): EniFacts {
  const cidr = (text: string) => canonicalCidr(parseCidr(text)!);
  return {
    interfaceName: f.interfaceName,
    macAddress: f.macAddress.toLowerCase(),
    ...(f.eniId === undefined ? {} : { eniId: f.eniId }),
    isPrimaryEni: f.isPrimaryEni,
    deviceIndex: f.deviceIndex,
    ipv4: {
      primary: canon(f.ipv4.primary),
      secondaries: f.ipv4.secondaries.map(canon),
      prefixLength: f.ipv4.prefixLength,
      gateway: canon(f.ipv4.gateway),
      cidrBlock: cidr(f.ipv4.cidrBlock),
    },
    ...(f.ipv6 === undefined
      ? {}
      : {
          ipv6: {
            addresses: f.ipv6.addresses.map(canon),
            prefixLength: f.ipv6.prefixLength,
            gateway: canon(f.ipv6.gateway),
            cidrBlock: cidr(f.ipv6.cidrBlock),
          },
        }),
    ...(f.prefixes === undefined ? {} : { prefixes: f.prefixes.map(cidr) }),
    dnsServers: f.dnsServers.map(canon),
  };
}
