// The region and resource group chosen in the top bar. Every list and every
// create follows them; they are remembered per account in localStorage.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { RegionInfo, ResourceGroupInfo } from '../api/wire.ts';
import type { Scope } from '../api/ecs.ts';
import { regionName } from '../logic/region-names.ts';

interface ScopeState extends Scope {
  regions: RegionInfo[];
  resourceGroups: ResourceGroupInfo[];
  region: RegionInfo;
  /** "China (Hangzhou)" */
  regionLabel: string;
  setRegion(id: string): void;
  /** '' = all resource groups */
  setResourceGroup(id: string): void;
}

const Ctx = createContext<ScopeState | undefined>(undefined);

const storageKey = (accountId: string) => `eniplane.scope.${accountId}`;

function remembered(accountId: string): { regionId?: string; resourceGroupId?: string } {
  try {
    return JSON.parse(localStorage.getItem(storageKey(accountId)) ?? '{}') as { regionId?: string; resourceGroupId?: string };
  } catch {
    return {};
  }
}

export function ScopeProvider(props: {
  accountId: string;
  regions: RegionInfo[];
  defaultRegionId: string;
  resourceGroups: ResourceGroupInfo[];
  children: ReactNode;
}) {
  const { accountId, regions, defaultRegionId, resourceGroups } = props;
  const saved = remembered(accountId);
  const [regionId, setRegionId] = useState(regions.some((r) => r.regionId === saved.regionId) ? saved.regionId! : defaultRegionId);
  const [resourceGroupId, setRg] = useState(
    resourceGroups.some((g) => g.resourceGroupId === saved.resourceGroupId) ? saved.resourceGroupId! : '',
  );

  const save = useCallback(
    (next: { regionId: string; resourceGroupId: string }) => {
      try {
        localStorage.setItem(storageKey(accountId), JSON.stringify(next));
      } catch {
        /* private mode */
      }
    },
    [accountId],
  );

  const value = useMemo<ScopeState>(
    () => ({
      regionId,
      resourceGroupId: resourceGroupId || undefined,
      regions,
      resourceGroups,
      region: regions.find((r) => r.regionId === regionId) ?? regions[0],
      regionLabel: regionName(regionId, regions.find((r) => r.regionId === regionId)?.localName ?? regionId),
      setRegion: (id) => {
        setRegionId(id);
        save({ regionId: id, resourceGroupId });
      },
      setResourceGroup: (id) => {
        setRg(id);
        save({ regionId, resourceGroupId: id });
      },
    }),
    [regionId, resourceGroupId, regions, resourceGroups, save],
  );
  return <Ctx.Provider value={value}>{props.children}</Ctx.Provider>;
}

export function useScope(): ScopeState {
  const v = useContext(Ctx);
  if (!v) throw new Error('useScope outside ScopeProvider');
  return v;
}
