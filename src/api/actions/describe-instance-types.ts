// ECS DescribeInstanceTypes, with the Eni* quota fields. Sent without RegionId by the SDK.
import { defineAction, ECS_VERSION } from '../action.ts';
import { INSTANCE_TYPES } from '../../domain/instance-types.ts';
import { instanceTypeShape } from '../shapes.ts';
import { wireErrors } from '../errors.ts';

export default defineAction({
  action: 'DescribeInstanceTypes',
  version: ECS_VERSION,
  use: {
    honoured: [
      'InstanceTypes',
      'InstanceTypeFamily',
      'MaxResults',
      'NextToken',
      'MinimumEniQuantity',
      'MinimumEniPrivateIpAddressQuantity',
      'MinimumEniIpv6AddressQuantity',
      'MinimumCpuCoreCount',
      'MaximumCpuCoreCount',
    ],
  },
  async handle(_ctx, p) {
    const ids = p.list('InstanceTypes', 10);
    const family = p.str('InstanceTypeFamily');
    const minEni = p.int('MinimumEniQuantity') ?? 0;
    const minV4 = p.int('MinimumEniPrivateIpAddressQuantity') ?? 0;
    const minV6 = p.int('MinimumEniIpv6AddressQuantity') ?? 0;
    const minCpu = p.int('MinimumCpuCoreCount') ?? 0;
    const maxCpu = p.int('MaximumCpuCoreCount') ?? Infinity;
    const max = Math.min(100, Math.max(1, p.int('MaxResults') ?? 100));
    const all = [...INSTANCE_TYPES.values()].filter(
      (t) =>
        (!ids || ids.includes(t.id)) &&
        (!family || t.family === family) &&
        t.eniQuantity >= minEni &&
        t.eniPrivateIpAddressQuantity >= minV4 &&
        t.eniIpv6AddressQuantity >= minV6 &&
        t.cpuCoreCount >= minCpu &&
        t.cpuCoreCount <= maxCpu,
    );
    const token = p.str('NextToken');
    let start = 0;
    if (token) {
      start = Number.parseInt(Buffer.from(token, 'base64url').toString('utf8'), 10);
      if (!Number.isInteger(start) || start < 0) throw wireErrors.invalidParameter('NextToken');
    }
    const page = all.slice(start, start + max);
    const next = start + max < all.length ? Buffer.from(String(start + max)).toString('base64url') : '';
    return { InstanceTypes: { InstanceType: page.map(instanceTypeShape) }, NextToken: next };
  },
});
