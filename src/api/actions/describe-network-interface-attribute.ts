// ECS DescribeNetworkInterfaceAttribute: one ENI, in full.
import { defineAction, ECS_VERSION } from '../action.ts';
import { describeEniAttribute } from '../../service/describe-enis.ts';
import { eniConnectionTrackingShape, eniEnhancedNetworkShape, eniShape, eniTrafficConfigShape } from '../shapes.ts';

export default defineAction({
  action: 'DescribeNetworkInterfaceAttribute',
  version: ECS_VERSION,
  // Attribute is accepted with any value: Terway sends the undocumented "basic".
  use: { required: ['NetworkInterfaceId'], honoured: ['RegionId', 'NetworkInterfaceId', 'Attribute'] },
  async handle({ deps, caller }, p) {
    const { eni, memberIds } = await describeEniAttribute(deps, caller, {
      regionId: p.str('RegionId'),
      eniId: p.reqStr('NetworkInterfaceId'),
    });
    const shape = eniShape(eni);
    const body: Record<string, unknown> = {
      ...shape,
      // Only here, not in DescribeNetworkInterfaces: a trunk's members (the SDK model has them on this action only).
      Attachment:
        eni.type === 'Trunk' && shape.InstanceId
          ? { ...shape.Attachment, MemberNetworkInterfaceIds: { MemberNetworkInterfaceId: memberIds } }
          : shape.Attachment,
      TcpOptionAddressEnabled: 'false',
      NetworkInterfaceTrafficConfig: eniTrafficConfigShape(eni),
    };
    const attribute = p.str('Attribute');
    if (attribute === 'connectionTrackingConfiguration') body.ConnectionTrackingConfiguration = eniConnectionTrackingShape(eni);
    // What ModifyNetworkInterfaceAttribute/CreateNetworkInterface set is read back; an ENI never given any reports none unless asked.
    const t = eni.traffic;
    const enhanced = [t.enableSriov, t.enableRss, t.enableExpress, t.virtualFunctionQuantity, t.virtualFunctionTotalQueueNumber].some(
      (v) => v !== null,
    );
    if (attribute === 'enhancedNetwork' || enhanced) body.EnhancedNetwork = eniEnhancedNetworkShape(eni);
    return body;
  },
});
