// The lengths Alibaba's API accepts for string parameters, with the code each
// action answers when a value is out of bounds (from the actions' error tables:
// note Alibaba's own "Discription" spelling). Checked at validation time, before
// any handler runs; an empty value counts as not given. Every other string
// parameter is capped at MAX_ANY_CHARS, so no value of 200,000 characters
// reaches a handler or the database. Lengths are in characters (code points).
import type { WireError } from './wire-error.ts';
import { wireErrors } from './errors.ts';

interface Limit {
  min: number;
  max: number;
  error: () => WireError;
}

const clientToken: Limit = {
  min: 1,
  max: 64,
  error: () => wireErrors.invalidParameter('ClientToken', 'It must be at most 64 ASCII characters.'),
};

/** action → parameter → limit; '*' applies to every action that declares the parameter. */
const STRING_LIMITS: Record<string, Record<string, Limit>> = {
  '*': { ClientToken: clientToken },
  CreateVpc: {
    VpcName: { min: 1, max: 128, error: wireErrors.vpcNameMalformed },
    Description: { min: 1, max: 256, error: wireErrors.vpcDescriptionMalformed },
  },
  CreateVSwitch: {
    VSwitchName: { min: 1, max: 128, error: wireErrors.vSwitchNameMalformed },
    Description: { min: 1, max: 256, error: wireErrors.vSwitchDescriptionMalformed },
  },
  CreateSecurityGroup: {
    SecurityGroupName: { min: 2, max: 128, error: wireErrors.securityGroupNameMalformed },
    Description: { min: 2, max: 256, error: wireErrors.securityGroupDescriptionMalformed },
  },
  RunInstances: {
    InstanceName: { min: 2, max: 128, error: wireErrors.instanceNameMalformed },
    HostName: { min: 2, max: 64, error: wireErrors.hostNameMalformed },
  },
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

/** Throws the action's own error for the first value out of bounds. Runs on every request: no work for short values. */
export function checkStringLimits(action: string, params: Map<string, string>): void {
  const own = STRING_LIMITS[action];
  for (const [name, value] of params) {
    if (value === '') continue;
    const limit = own?.[name] ?? STRING_LIMITS['*'][name];
    if (limit) {
      const n = chars(value, limit.max);
      if (n < limit.min || n > limit.max) throw limit.error();
    } else if (value.length > MAX_ANY_CHARS && chars(value, MAX_ANY_CHARS) > MAX_ANY_CHARS) {
      throw wireErrors.invalidParameter(name, `It is longer than ${MAX_ANY_CHARS} characters.`);
    }
  }
}
