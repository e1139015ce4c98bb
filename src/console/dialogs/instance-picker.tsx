// Choosing the instance to bind an ENI to: instances of the ENI's VPC and
// zone (the API refuses others), with their state and ENI count. One page at a
// time (the next when scrolled to the end) and a search as you type (a name
// contains the text, or a whole instance ID), never every instance.
import { useMemo } from 'react';
import { Select, Typography } from 'antd';
import { getInstanceType, searchInstances } from '../api/ecs.ts';
import type { EniWire, InstanceTypeWire } from '../api/wire.ts';
import { useAsync } from '../hooks/use-async.ts';
import { loadMoreOnScroll, usePagedSearch } from '../hooks/use-paged-search.ts';
import { instanceTakesEnis } from '../logic/attach-eligibility.ts';

export function InstancePicker(props: {
  regionId: string;
  eni: EniWire;
  value?: string;
  onChange(id: string): void;
  exclude?: string;
  disabled?: boolean;
}) {
  const { regionId, eni } = props;
  const search = usePagedSearch(
    (text, n) => searchInstances({ regionId }, text, n, { vpcId: eni.VpcId, zoneId: eni.ZoneId }),
    [regionId, eni.VpcId, eni.ZoneId],
  );
  // each instance type once (cached across dialogs): a page holds a few types
  const typeIds = useMemo(() => [...new Set(search.items.map((i) => i.InstanceType))].sort(), [search.items]);
  const types = useAsync(async () => {
    const out = new Map<string, InstanceTypeWire | undefined>();
    for (const t of typeIds) out.set(t, await getInstanceType(t));
    return out;
  }, [typeIds.join()]);
  const options = useMemo(
    () =>
      search.items
        .filter((i) => i.InstanceId !== props.exclude)
        .map((i) => {
          const type = types.data?.get(i.InstanceType);
          const enis = i.NetworkInterfaces.NetworkInterface.length;
          const full = type ? enis >= type.EniQuantity : false;
          return {
            value: i.InstanceId,
            disabled: !instanceTakesEnis(i),
            label: `${i.InstanceId}${i.InstanceName ? ` (${i.InstanceName})` : ''} · ${i.Status} · ${i.InstanceType} · ENIs ${enis}/${type?.EniQuantity ?? '?'}${full ? ' (full)' : ''}`,
          };
        }),
    [search.items, types.data, props.exclude],
  );
  const more = search.items.length < search.total;
  return (
    <>
      <Select
        aria-label="Instance"
        data-testid="instance-picker"
        showSearch={{ searchValue: search.text, onSearch: search.setText, filterOption: false }}
        onPopupScroll={loadMoreOnScroll(search)}
        placeholder="Choose an instance, or type its name or ID"
        loading={search.loading}
        value={props.value}
        onChange={props.onChange}
        options={options}
        disabled={props.disabled}
        style={{ width: '100%' }}
        notFoundContent={
          search.loading
            ? 'Loading…'
            : search.text.trim()
              ? `No instance in ${eni.VpcId} / ${eni.ZoneId} whose name contains "${search.text.trim()}" or whose ID is it.`
              : `No instance in ${eni.VpcId} / ${eni.ZoneId}. Create one on the Instances page (same VPC and zone).`
        }
        popupRender={(menu) => (
          <>
            {menu}
            {more && (
              <div style={{ padding: '4px 12px', fontSize: 12, color: 'rgba(0,0,0,.45)' }}>
                {search.items.length} of {search.total} shown: scroll for more, or type a name or ID
              </div>
            )}
          </>
        )}
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        Only instances in the ENI&apos;s VPC ({eni.VpcId}) and zone ({eni.ZoneId}) can take it; a Pending, Starting or Stopping instance
        cannot.
      </Typography.Text>
    </>
  );
}
