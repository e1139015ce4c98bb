// ECS ModifyNetworkInterfaceAttribute: name, description, security groups (replacing the set), DeleteOnRelease,
// SourceDestCheck, the traffic mode and queues (flat or in NetworkInterfaceTrafficConfig), connection tracking and
// enhanced network, all stored and returned. EnablePrimaryIPv6 is accepted and ignored: no answer carries it back.
import { defineAction, ECS_VERSION, readDescription, readName } from '../action.ts';
import { modifyEni } from '../../service/eni-lifecycle.ts';
import { readEniTraffic } from '../eni-traffic.ts';

export default defineAction({
  action: 'ModifyNetworkInterfaceAttribute',
  version: ECS_VERSION,
  use: {
    required: ['NetworkInterfaceId'],
    honoured: ['RegionId', 'NetworkInterfaceId', 'NetworkInterfaceName', 'Description', 'SecurityGroupId', 'DeleteOnRelease'],
    stored: [
      'SourceDestCheck',
      'QueueNumber',
      'RxQueueSize',
      'TxQueueSize',
      'NetworkInterfaceTrafficConfig',
      'ConnectionTrackingConfiguration',
      'EnhancedNetwork',
    ],
  },
  async handle({ deps, caller }, p) {
    await modifyEni(deps, caller, {
      regionId: p.str('RegionId'),
      eniId: p.reqStr('NetworkInterfaceId'),
      name: readName(p, 'NetworkInterfaceName'),
      description: readDescription(p, 'Description'),
      securityGroupIds: p.list('SecurityGroupId', 10),
      deleteOnRelease: p.bool('DeleteOnRelease'),
      sourceDestCheck: p.bool('SourceDestCheck'),
      traffic: readEniTraffic(p),
    });
    return {};
  },
});
