// What the lab data plane follows: every vSwitch, instance and ENI in the
// store, across accounts (the lab is the host's view, not an API caller's).
import type { Instance, VSwitch } from '../domain/model.ts';
import type { EniPlacement } from '../store/store.ts';
import { readTx, type ServiceDeps } from './deps.ts';

export interface LabInventory {
  vSwitches: VSwitch[];
  instances: Instance[];
  enis: EniPlacement[];
}

export function labInventory(deps: ServiceDeps): Promise<LabInventory> {
  return readTx(deps, async (tx) => ({
    vSwitches: await tx.metadata.allVSwitches(),
    instances: await tx.metadata.allInstances(),
    enis: await tx.metadata.allEnis(),
  }));
}
