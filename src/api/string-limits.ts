// The bounds Alibaba's API documents for string parameters, with the code each
// action answers when a value is out of bounds (from the actions' parameter and
// error tables: note Alibaba's own "Discription" spelling). One table for every
// served action; checked at validation time, before any handler runs; an empty
// value counts as not given. Lengths are in characters (code points); UserData's
// is its Base64 text. Checked elsewhere, because the code depends on more than
// the length: Tag.N.Key 1-128 / Tag.N.Value 0-128 (domain/tags.ts, each product's
// own codes). Every parameter not listed has no documented bound: it is capped
// at MAX_ANY_CHARS (InvalidParameter), so no value of 200,000 characters
// reaches a handler or the database (docs/compat.md lists them).
import type { WireError } from './wire-error.ts';
import { wireErrors } from './errors.ts';

interface Limit {
  min: number;
  max: number;
  error: () => WireError;
  /** only ASCII characters (ClientToken) */
  ascii?: boolean;
  /** min/max count the bytes the Base64 text decodes to, not its characters (UserData) */
  base64Bytes?: boolean;
}

const bounds = (min: number, max: number, error: () => WireError, ascii?: boolean): Limit => ({ min, max, error, ascii });

// The ENI's name and description answer InvalidParameter naming the parameter, as the action's own check does (api/action.ts).
const eniName = (wire: string) =>
  bounds(2, 128, () =>
    wireErrors.invalidParameter(
      wire,
      'It must be 2 to 128 characters in length, start with a letter and cannot start with http:// or https://.',
    ),
  );
const eniDescription = (wire: string) =>
  bounds(2, 256, () =>
    wireErrors.invalidParameter(wire, 'It must be 2 to 256 characters in length and cannot start with http:// or https://.'),
  );

/** UserData: at most 32 KB of raw data (RunInstances, CreateInstance, ModifyInstanceAttribute), sent in Base64. */
export const MAX_USER_DATA_BYTES = 32 * 1024;

const vpc = { VpcName: bounds(1, 128, wireErrors.vpcNameMalformed), Description: bounds(1, 256, wireErrors.vpcDescriptionMalformed) };
const vSwitch = {
  VSwitchName: bounds(1, 128, wireErrors.vSwitchNameMalformed),
  Description: bounds(1, 256, wireErrors.vSwitchDescriptionMalformed),
};
const securityGroup = {
  SecurityGroupName: bounds(2, 128, wireErrors.securityGroupNameMalformed),
  Description: bounds(2, 256, wireErrors.securityGroupDescriptionMalformed),
};
const instance = {
  InstanceName: bounds(2, 128, wireErrors.instanceNameMalformed),
  Description: bounds(2, 256, wireErrors.descriptionMalformed),
};
const eni = { NetworkInterfaceName: eniName('NetworkInterfaceName'), Description: eniDescription('Description') };

/**
 * action → parameter → bounds; '*' applies to every action that declares the parameter.
 * Parameter names are as sent with list indexes as N (`DataDisk.N.DiskName`).
 */
export const STRING_LIMITS: Record<string, Record<string, Limit>> = {
  '*': {
    // "The token can contain only ASCII characters and cannot exceed 64 characters."
    ClientToken: bounds(1, 64, () => wireErrors.invalidParameter('ClientToken', 'It must be at most 64 ASCII characters.'), true),
    // Linux 2-64 (Windows 2-15: the image decides, and no image is modelled here)
    HostName: bounds(2, 64, wireErrors.hostNameMalformed),
    Password: bounds(8, 30, wireErrors.passwordMalformed),
    UserData: { min: 0, max: MAX_USER_DATA_BYTES, error: wireErrors.userDataSizeExceeded, base64Bytes: true },
    'SystemDisk.DiskName': bounds(2, 128, wireErrors.diskNameMalformed),
    'SystemDisk.Description': bounds(2, 256, wireErrors.diskDescriptionMalformed),
    'DataDisk.N.DiskName': bounds(2, 128, wireErrors.diskNameMalformed),
    'DataDisk.N.Description': bounds(2, 256, wireErrors.diskDescriptionMalformed),
    'NetworkInterface.N.NetworkInterfaceName': eniName('NetworkInterface.N.NetworkInterfaceName'),
    'NetworkInterface.N.Description': eniDescription('NetworkInterface.N.Description'),
  },
  CreateVpc: vpc,
  ModifyVpcAttribute: vpc,
  CreateVSwitch: vSwitch,
  ModifyVSwitchAttribute: vSwitch,
  CreateSecurityGroup: securityGroup,
  ModifySecurityGroupAttribute: securityGroup,
  RunInstances: { ...instance, KeyPairName: bounds(2, 128, wireErrors.keyPairNameMalformed) },
  CreateInstance: { ...instance, KeyPairName: bounds(2, 128, wireErrors.keyPairNameMalformed) },
  ModifyInstanceAttribute: instance,
  CreateNetworkInterface: eni,
  ModifyNetworkInterfaceAttribute: eni,
};

/** Any other string parameter: far above every real value (a JSON list of 100 ids is ~3,000). */
const MAX_ANY_CHARS = 16_384;

/** Code points, counted only as far as `upTo` (a value's UTF-16 length bounds them from above). */
function chars(v: string, upTo: number): number {
  if (v.length <= upTo) return [...v].length;
  let n = 0;
  for (const _ of v) if (++n > upTo) break;
  return n;
}

/** The first segments of the table's indexed names (`DataDisk.`, `NetworkInterface.`): only those names are rewritten. */
const INDEXED_PREFIXES = [
  ...new Set(
    Object.values(STRING_LIMITS)
      .flatMap((l) => Object.keys(l))
      .filter((k) => k.includes('.N'))
      .map((k) => k.slice(0, k.indexOf('.') + 1)),
  ),
];

/** by a name's first character code: could it begin an indexed name? */
const INDEXED_FIRST = new Uint8Array(128);
for (const p of INDEXED_PREFIXES) INDEXED_FIRST[p.charCodeAt(0)] = 1;

/** `DataDisk.2.DiskName` → `DataDisk.N.DiskName`; any other name as it is. */
function generic(name: string): string {
  for (const p of INDEXED_PREFIXES) if (name.startsWith(p)) return name.replace(/\.\d+(?=\.|$)/g, '.N');
  return name;
}

/** Each action's bounds with the '*' ones, merged once (no prototype: a name such as `constructor` finds nothing). */
const BY_ACTION = new Map<string, Record<string, Limit | undefined>>(
  Object.entries(STRING_LIMITS).map(([a, l]) => [a, Object.assign(Object.create(null) as Record<string, Limit>, STRING_LIMITS['*'], l)]),
);
const ANY_ACTION = BY_ACTION.get('*')!;

/** Throws the action's own error for the first value out of bounds. Runs on every request: no work for short values. */
export function checkStringLimits(action: string, params: Map<string, string>): void {
  const limits = BY_ACTION.get(action) ?? ANY_ACTION;
  for (const [name, value] of params) {
    if (value === '') continue;
    // one character test keeps most names (RegionId, Signature ...) off the rewrite
    const key = INDEXED_FIRST[name.charCodeAt(0)] === 1 ? generic(name) : name;
    const limit = limits[key];
    if (limit?.base64Bytes) {
      // the decoded size of Base64 text (its form is the handler's to check); a longer text never decodes to fewer bytes
      const pad = value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0;
      if (Math.floor((value.length * 3) / 4) - pad > limit.max) throw limit.error();
    } else if (limit) {
      const n = chars(value, limit.max);
      if (n < limit.min || n > limit.max || (limit.ascii && !/^[\x20-\x7e]*$/.test(value))) throw limit.error();
    } else if (value.length > MAX_ANY_CHARS && chars(value, MAX_ANY_CHARS) > MAX_ANY_CHARS) {
      throw wireErrors.invalidParameter(name, `It is longer than ${MAX_ANY_CHARS} characters.`);
    }
  }
}
