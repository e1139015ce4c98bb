// ECS RunInstances, the subset a network user needs: each instance comes with its primary ENI (set up by
// the top-level parameters or a NetworkInterface.N with InstanceType=Primary) and the secondary ENIs its
// other NetworkInterface.N make or attach; the attributes a client reads back (description, host name,
// system disk, billing, user data) are stored.
import { defineAction, ECS_VERSION, readAddressRequest, readTags } from '../action.ts';
import { wireErrors } from '../errors.ts';
import { runInstances } from '../../service/instances.ts';
import { INSTANCE_ATTRIBUTE_NAMES, INSTANCE_BASIC_NAMES, readInstanceAttributes, readInstanceBasics } from '../instance-params.ts';
import { readRunInstanceNetwork } from '../run-instance-enis.ts';

export default defineAction({
  action: 'RunInstances',
  version: ECS_VERSION,
  use: {
    // VSwitchId: required unless a primary NetworkInterface.N names it.
    required: ['InstanceType'],
    honoured: [
      ...INSTANCE_BASIC_NAMES,
      'SecurityGroupIds',
      'Ipv6Address',
      'Ipv6AddressCount',
      'Amount',
      'Tag',
      'NetworkInterface',
      'NetworkInterfaceQueueNumber',
    ],
    stored: INSTANCE_ATTRIBUTE_NAMES,
  },
  async handle({ deps, caller }, p) {
    const single = p.str('SecurityGroupId');
    const many = p.list('SecurityGroupIds', 10);
    if (single !== undefined && many) throw wireErrors.parameterConflict('SecurityGroupId and SecurityGroupIds.N');
    const net = readRunInstanceNetwork(p, {
      vSwitchId: p.str('VSwitchId'),
      securityGroupIds: many ?? (single !== undefined ? [single] : undefined),
      privateIpAddress: p.str('PrivateIpAddress'),
      ipv6: readAddressRequest(p, 'Ipv6Address', 'Ipv6AddressCount', 10),
      queueNumber: p.int('NetworkInterfaceQueueNumber', { min: 1, max: 2048 }),
    });
    const ids = await runInstances(deps, caller, {
      ...readInstanceBasics(p),
      vSwitchId: net.vSwitchId,
      securityGroupIds: net.securityGroupIds,
      privateIpAddress: net.privateIpAddress,
      ipv6: net.ipv6,
      amount: p.int('Amount', { min: 1, max: 100 }) ?? 1,
      tags: readTags(p),
      attributes: readInstanceAttributes(p),
      primaryEni: net.primary,
      secondaryEnis: net.secondaries,
    });
    return { InstanceIdSets: { InstanceIdSet: ids }, OrderId: '', TradePrice: 0 };
  },
});
