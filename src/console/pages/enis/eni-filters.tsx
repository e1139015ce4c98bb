// The ENI table's search box and filters (status, type, vSwitch, instance),
// all applied server-side by DescribeNetworkInterfaces. The vSwitch filter pages
// its list as it is scrolled; the instance filter suggests from a search as you
// type (the first page of DescribeInstances, debounced), and takes a whole
// instance ID with Enter.
import { useState } from 'react';
import { AutoComplete, Button, Flex, Input, Select, Tooltip } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { ENI_STATUSES } from '../../../domain/model.ts';
import { searchInstances } from '../../api/ecs.ts';
import { usePagedSearch } from '../../hooks/use-paged-search.ts';
import { useScope } from '../../state/scope.tsx';
import { VSwitchSelect } from '../../components/paged-pickers.tsx';

/** How many suggestions the instance filter shows: one page of DescribeInstances. */
const SUGGESTIONS = 20;

export interface EniFilterValues {
  search: string;
  status?: string;
  type?: string;
  vSwitchId?: string;
  instanceId?: string;
}

export function EniFilters(props: { value: EniFilterValues; onChange(v: EniFilterValues): void; onRefresh(): void; loading: boolean }) {
  const { value, onChange } = props;
  const [search, setSearch] = useState(value.search);
  const scope = useScope();
  const instances = usePagedSearch((text, n) => searchInstances(scope, text, n, {}, SUGGESTIONS), [scope.regionId, scope.resourceGroupId], {
    searchOnly: true,
  });
  const instanceText = instances.text;
  const setInstanceText = instances.setText;
  return (
    <Flex gap={8} wrap style={{ marginBottom: 12 }} role="search" aria-label="Filter ENIs">
      <Input.Search
        aria-label="Search ENIs"
        placeholder="ENI ID, name, private IPv4/IPv6 (exact), or tag:key=value"
        allowClear
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        onSearch={(s) => onChange({ ...value, search: s })}
        style={{ width: 360 }}
      />
      <Select
        aria-label="Status"
        placeholder="Status"
        allowClear
        value={value.status}
        onChange={(s?: string) => onChange({ ...value, status: s })}
        style={{ width: 140 }}
        options={ENI_STATUSES.map((s) => ({ value: s, label: s }))}
      />
      <Select
        aria-label="Type"
        placeholder="Type"
        allowClear
        value={value.type}
        onChange={(t?: string) => onChange({ ...value, type: t })}
        style={{ width: 130 }}
        options={[
          { value: 'Primary', label: 'Primary' },
          { value: 'Secondary', label: 'Secondary' },
        ]}
      />
      <VSwitchSelect
        aria-label="vSwitch"
        placeholder="vSwitch"
        allowClear
        value={value.vSwitchId}
        onChange={(v) => onChange({ ...value, vSwitchId: v })}
        style={{ width: 260 }}
        label={(v) => `${v.VSwitchName || v.VSwitchId} (${v.CidrBlock})`}
      />
      <AutoComplete
        aria-label="Instance"
        placeholder="Bound to instance (name or ID)"
        allowClear
        showSearch={{ filterOption: false }}
        value={instanceText}
        onChange={(t: string) => {
          setInstanceText(t ?? '');
          if (!t) onChange({ ...value, instanceId: undefined });
        }}
        onSelect={(id: string) => onChange({ ...value, instanceId: id })}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && instanceText.trim()) onChange({ ...value, instanceId: instanceText.trim() });
        }}
        style={{ width: 250 }}
        options={instances.items.map((i) => ({
          value: i.InstanceId,
          label: `${i.InstanceId}${i.InstanceName ? ` (${i.InstanceName})` : ''}`,
        }))}
        notFoundContent={
          instanceText.trim() === ''
            ? undefined
            : instances.loading
              ? 'Searching…'
              : `No instance whose name contains "${instanceText.trim()}" or whose ID is it`
        }
        data-testid="instance-filter"
      />
      <Tooltip title="Refresh">
        <Button icon={<ReloadOutlined />} onClick={props.onRefresh} loading={props.loading} aria-label="Refresh" />
      </Tooltip>
    </Flex>
  );
}
