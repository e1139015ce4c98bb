// The lengths Alibaba's API accepts for string parameters, with the code each
// action answers when a value is out of bounds (from the actions' error tables:
// note Alibaba's own "Discription" spelling). Checked at validation time, before
// any handler runs; an empty value counts as not given. Every other string
// parameter is capped at MAX_ANY_CHARS, so no value of 200,000 characters
// reaches a handler or the database. Lengths are in characters (code points).
import { WireError } from './wire-error.ts';

interface Limit { min: number; max: number; code: string; message: string }

const vpcName: Limit = { min: 1, max: 128, code: 'InvalidVpcName.Malformed', message: 'Specified VPC name is not valid.' };
const vpcDescription: Limit = { min: 1, max: 256, code: 'InvalidVpcDiscription.Malformed', message: 'Specified VPC description is not valid.' };
const vswName: Limit = { min: 1, max: 128, code: 'InvalidVSwitchName.Malformed', message: 'Specified virtual switch name is not valid.' };
const vswDescription: Limit = { min: 1, max: 256, code: 'InvalidVSwitchDiscription.Malformed', message: 'Specified virtual switch description is not valid.' };
const sgName: Limit = { min: 2, max: 128, code: 'InvalidSecurityGroupName.Malformed', message: 'Specified security group name is not valid.' };
const sgDescription: Limit = { min: 2, max: 256, code: 'InvalidSecurityGroupDiscription.Malformed', message: 'Specified security group description is not valid.' };
const instanceName: Limit = { min: 2, max: 128, code: 'InvalidInstanceName.Malformed', message: 'The specified parameter "InstanceName" is not valid.' };
const hostName: Limit = { min: 2, max: 64, code: 'InvalidHostName.Malformed', message: 'The specified parameter "HostName" is not valid.' };
const clientToken: Limit = { min: 1, max: 64, code: 'InvalidParameter', message: 'The specified parameter "ClientToken" is not valid. It must be at most 64 ASCII characters.' };

/** action → parameter → limit; '*' applies to every action that declares the parameter. */
export const STRING_LIMITS: Record<string, Record<string, Limit>> = {
  '*': { ClientToken: clientToken },
  CreateVpc: { VpcName: vpcName, Description: vpcDescription },
  CreateVSwitch: { VSwitchName: vswName, Description: vswDescription },
  CreateSecurityGroup: { SecurityGroupName: sgName, Description: sgDescription },
  RunInstances: { InstanceName: instanceName, HostName: hostName },
};

/** Any other string parameter: far above every real value (a JSON list of 100 ids is ~3,000). */
export const MAX_ANY_CHARS = 16_384;

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
      if (n < limit.min || n > limit.max) throw new WireError(400, limit.code, limit.message);
    } else if (value.length > MAX_ANY_CHARS && chars(value, MAX_ANY_CHARS) > MAX_ANY_CHARS) {
      throw new WireError(400, 'InvalidParameter', `The specified parameter "${name}" is not valid. It is longer than ${MAX_ANY_CHARS} characters.`);
    }
  }
}
