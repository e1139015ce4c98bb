// ECS ModifyInstanceAttribute: name, description, host name, user data, deletion protection, credit
// specification, and the primary ENI's security groups (SecurityGroupIds.N replaces the set).
import { defineAction, ECS_VERSION, readDescription } from '../action.ts';
import { modifyInstance } from '../../service/instances.ts';
import { wireErrors } from '../errors.ts';

export default defineAction({
  action: 'ModifyInstanceAttribute',
  version: ECS_VERSION,
  use: {
    required: ['InstanceId'],
    honoured: ['RegionId', 'InstanceId', 'InstanceName', 'SecurityGroupIds'],
    stored: ['Description', 'HostName', 'UserData', 'DeletionProtection', 'CreditSpecification'],
  },
  async handle({ deps, caller }, p) {
    const name = p.str('InstanceName');
    if (name !== undefined && (name.length < 2 || name.length > 128 || /^https?:\/\//.test(name))) throw wireErrors.instanceNameMalformed();
    const hostName = p.str('HostName');
    if (hostName !== undefined && (hostName.length < 2 || hostName.length > 64 || /^[.-]|[.-]$/.test(hostName)))
      throw wireErrors.hostNameMalformed();
    const userData = p.str('UserData');
    // its size is checked with every other bound (api/string-limits.ts); here its Base64 form
    if (userData !== undefined && !/^[A-Za-z0-9+/]*={0,2}$/.test(userData)) throw wireErrors.invalidParameter('UserData');
    const credit = p.str('CreditSpecification');
    if (credit !== undefined && credit !== 'Standard' && credit !== 'Unlimited') throw wireErrors.invalidParameter('CreditSpecification');
    await modifyInstance(deps, caller, {
      regionId: p.str('RegionId'),
      instanceId: p.reqStr('InstanceId'),
      name,
      description: readDescription(p, 'Description'),
      hostName,
      userData,
      deletionProtection: p.bool('DeletionProtection'),
      creditSpecification: credit,
      securityGroupIds: p.list('SecurityGroupIds', 5),
    });
    return {};
  },
});
