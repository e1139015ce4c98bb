// ECS DescribeZones, from the configured regions.
import { defineAction, ECS_VERSION } from '../action.ts';
import { findRegion } from '../../service/deps.ts';

export default defineAction({
  action: 'DescribeZones',
  version: ECS_VERSION,
  use: { honoured: ['RegionId'] },
  async handle({ deps }, p) {
    const region = findRegion(deps, p.str('RegionId'));
    return {
      Zones: {
        Zone: region.zones.map((z) => ({
          ZoneId: z.id,
          LocalName: z.localName,
          ZoneType: 'AvailabilityZone',
          AvailableResourceCreation: { ResourceTypes: ['Instance', 'VSwitch', 'IoOptimized', 'DedicatedHost'] },
          AvailableInstanceTypes: { InstanceTypes: [] },
          AvailableVolumeCategories: { VolumeCategories: [] },
          AvailableDiskCategories: { DiskCategories: [] },
        })),
      },
    };
  },
});
