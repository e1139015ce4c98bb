// ECS DescribeRegions, from the configured regions.
import { defineAction, ECS_VERSION } from '../action.ts';

export default defineAction({
  action: 'DescribeRegions',
  version: ECS_VERSION,
  use: {},
  async handle({ deps }) {
    return {
      Regions: {
        Region: deps.regions.map((r) => ({
          RegionId: r.id,
          LocalName: r.localName,
          RegionEndpoint: `ecs.${r.id}.aliyuncs.com`,
          Status: 'available',
        })),
      },
    };
  },
});
