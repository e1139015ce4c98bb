// ECS DescribeRegions, from the configured regions.
import { defineAction, ECS_VERSION } from '../action.ts';
import { str } from '../params.ts';

export default defineAction({
  action: 'DescribeRegions',
  version: ECS_VERSION,
  params: { AcceptLanguage: str(), InstanceChargeType: str(), ResourceType: str() },
  async handle({ deps }) {
    return {
      Regions: {
        Region: deps.regions.map((r) => ({ RegionId: r.id, LocalName: r.localName, RegionEndpoint: `ecs.${r.id}.aliyuncs.com`, Status: 'available' })),
      },
    };
  },
});
