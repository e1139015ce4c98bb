// Choosing the instance to bind an ENI to: instances of the ENI's VPC and
// zone (the API refuses others), with their state and ENI count.
import { useMemo } from 'react';
import { Select, Typography } from 'antd';
import { getInstanceType, listAllInstances } from '../api/ecs.ts';
import type { EniWire, InstanceTypeWire } from '../api/wire.ts';
import { useAsync } from '../hooks/use-async.ts';
import { instanceTakesEnis } from '../logic/attach-eligibility.ts';

function useCandidateInstances(regionId: string, eni: EniWire) {
  return useAsync(async () => {
    const instances = await listAllInstances({ regionId }, { vpcId: eni.VpcId, zoneId: eni.ZoneId });
    const types = new Map<string, InstanceTypeWire | undefined>();
    for (const t of new Set(instances.map((i) => i.InstanceType))) types.set(t, await getInstanceType(t));
    return instances.map((i) => ({ instance: i, type: types.get(i.InstanceType) }));
  }, [regionId, eni.VpcId, eni.ZoneId]);
}

export function InstancePicker(props: {
  regionId: string;
  eni: EniWire;
  value?: string;
  onChange(id: string): void;
  exclude?: string;
  disabled?: boolean;
}) {
  const candidates = useCandidateInstances(props.regionId, props.eni);
  const options = useMemo(
    () =>
      (candidates.data ?? [])
        .filter((c) => c.instance.InstanceId !== props.exclude)
        .map(({ instance: i, type }) => {
          const enis = i.NetworkInterfaces.NetworkInterface.length;
          const full = type ? enis >= type.EniQuantity : false;
          return {
            value: i.InstanceId,
            disabled: !instanceTakesEnis(i),
            label: `${i.InstanceId}${i.InstanceName ? ` (${i.InstanceName})` : ''} · ${i.Status} · ${i.InstanceType} · ENIs ${enis}/${type?.EniQuantity ?? '?'}${full ? ' (full)' : ''}`,
          };
        }),
    [candidates.data, props.exclude],
  );
  return (
    <>
      <Select
        aria-label="Instance"
        data-testid="instance-picker"
        showSearch={{ optionFilterProp: 'label' }}
        placeholder="Choose an instance"
        loading={candidates.loading}
        value={props.value}
        onChange={props.onChange}
        options={options}
        disabled={props.disabled}
        style={{ width: '100%' }}
        notFoundContent={
          candidates.loading
            ? 'Loading…'
            : `No instance in ${props.eni.VpcId} / ${props.eni.ZoneId}. Create one on the Instances page (same VPC and zone).`
        }
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        Only instances in the ENI&apos;s VPC ({props.eni.VpcId}) and zone ({props.eni.ZoneId}) can take it; a Pending, Starting or Stopping
        instance cannot.
      </Typography.Text>
    </>
  );
}
