// The ENI table's search box and filters (status, type, vSwitch, instance),
// all applied server-side by DescribeNetworkInterfaces.
import { useState } from 'react';
import { AutoComplete, Button, Flex, Input, Select, Tooltip } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import type { InstanceWire, VSwitchWire } from '../../api/wire.ts';
import { ENI_STATUSES } from '../../../domain/model.ts';

export interface EniFilterValues {
  search: string;
  status?: string;
  type?: string;
  vSwitchId?: string;
  instanceId?: string;
}

export function EniFilters(props: {
  value: EniFilterValues;
  onChange(v: EniFilterValues): void;
  vSwitches: VSwitchWire[];
  instances: InstanceWire[];
  onRefresh(): void;
  loading: boolean;
}) {
  const { value, onChange } = props;
  const [search, setSearch] = useState(value.search);
  const [instanceText, setInstanceText] = useState(value.instanceId ?? '');
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
      <Select
        aria-label="vSwitch"
        placeholder="vSwitch"
        allowClear
        showSearch={{ optionFilterProp: 'label' }}
        value={value.vSwitchId}
        onChange={(v?: string) => onChange({ ...value, vSwitchId: v })}
        style={{ width: 260 }}
        options={props.vSwitches.map((v) => ({ value: v.VSwitchId, label: `${v.VSwitchName || v.VSwitchId} (${v.CidrBlock})` }))}
        notFoundContent="No vSwitches in this region"
      />
      <AutoComplete
        aria-label="Instance"
        placeholder="Bound to instance (ID)"
        allowClear
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
        options={props.instances
          .filter((i) => !instanceText || i.InstanceId.includes(instanceText) || i.InstanceName.includes(instanceText))
          .slice(0, 50)
          .map((i) => ({ value: i.InstanceId, label: `${i.InstanceId}${i.InstanceName ? ` (${i.InstanceName})` : ''}` }))}
      />
      <Tooltip title="Refresh">
        <Button icon={<ReloadOutlined />} onClick={props.onRefresh} loading={props.loading} aria-label="Refresh" />
      </Tooltip>
    </Flex>
  );
}
