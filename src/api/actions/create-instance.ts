// ECS CreateInstance (older clients): one instance, created Stopped as the real API does (StartInstance runs it),
// with its primary ENI in the vSwitch; the same attributes as RunInstances are stored and returned.
import { defineAction, ECS_VERSION } from '../action.ts';
import { INSTANCE_ATTRIBUTE_NAMES, INSTANCE_BASIC_NAMES, readInstanceAttributes, readInstanceBasics } from '../instance-params.ts';
import { runInstances } from '../../service/instances.ts';
import { wireErrors } from '../errors.ts';

export default defineAction({
  action: 'CreateInstance',
  version: ECS_VERSION,
  use: {
    required: ['InstanceType'],
    honoured: INSTANCE_BASIC_NAMES,
    stored: INSTANCE_ATTRIBUTE_NAMES,
    refused: ['DataDisk'],
  },
  async handle({ deps, caller }, p) {
    // COMPAT: classic network does not exist here, so the vSwitch is required.
    const vSwitchId = p.str('VSwitchId');
    if (vSwitchId === undefined) throw wireErrors.missingParameter('VSwitchId');
    const securityGroupId = p.str('SecurityGroupId');
    if (securityGroupId === undefined) throw wireErrors.missingParameter('SecurityGroupId');
    // COMPAT: data disks are not emulated.
    if (p.has('DataDisk')) throw wireErrors.unsupportedParameter('Data disks');
    const attributes = readInstanceAttributes(p);
    const [id] = await runInstances(deps, caller, {
      ...readInstanceBasics(p),
      vSwitchId,
      securityGroupIds: [securityGroupId],
      privateIpAddress: p.str('PrivateIpAddress'),
      amount: 1,
      attributes,
      initialStatus: 'Stopped',
    });
    return { InstanceId: id, OrderId: '', TradePrice: 0 };
  },
});
