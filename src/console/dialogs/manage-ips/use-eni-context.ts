// What the Manage ENI IP Addresses dialog and the details page need about an
// ENI: the ENI itself, its vSwitch (the CIDR blocks), and — when it is bound —
// its instance and instance type (whose figures are the limits then).
import { describeEni, getInstance, getInstanceType, vSwitchesByIds } from '../../api/ecs.ts';
import type { EniWire, InstanceTypeWire, InstanceWire, VSwitchWire } from '../../api/wire.ts';
import { useAsync } from '../../hooks/use-async.ts';
import { TRANSITIONAL } from '../../components/status-tag.tsx';

export interface EniContext {
  eni: EniWire;
  vSwitch: VSwitchWire | undefined;
  instance: InstanceWire | undefined;
  instanceType: InstanceTypeWire | undefined;
}

async function loadEniContext(regionId: string, eniId: string): Promise<EniContext> {
  const eni = await describeEni(regionId, eniId);
  const instanceId = eni.InstanceId || eni.Attachment?.InstanceId || '';
  const [vSwitch, instance] = await Promise.all([
    vSwitchesByIds(regionId, [eni.VSwitchId]).then((m) => m.get(eni.VSwitchId)),
    instanceId ? getInstance(regionId, instanceId) : Promise.resolve(undefined),
  ]);
  const instanceType = instance ? await getInstanceType(instance.InstanceType) : undefined;
  return { eni, vSwitch, instance, instanceType };
}

/** Polls fast while the ENI (or its instance) is changing state. */
export function useEniContext(regionId: string, eniId: string) {
  return useAsync(() => loadEniContext(regionId, eniId), [regionId, eniId], {
    pollMs: (c) => (TRANSITIONAL.has(c.eni.Status) || (c.instance && TRANSITIONAL.has(c.instance.Status)) ? 400 : 15_000),
  });
}
