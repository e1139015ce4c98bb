// The ENI table's columns and row actions.
import { Button, Flex, Popconfirm, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType as ColumnsType } from 'antd';
import type { EniWire, VSwitchWire } from '../../api/wire.ts';
import { ResourceId } from '../../components/resource-id.tsx';
import { StatusTag } from '../../components/status-tag.tsx';
import { eniBindable } from '../../logic/attach-eligibility.ts';
import { heldPrefixes } from '../../logic/ip-prefixes.ts';

export interface EniRowActions {
  manage(e: EniWire): void;
  bind(e: EniWire): void;
  unbind(e: EniWire): Promise<void>;
  move(e: EniWire): void;
  remove(e: EniWire): void;
}

const mono = { fontFamily: 'ui-monospace, monospace', fontSize: 12.5 };

function secondaryCounts(e: EniWire): { v4: number; v6: number } {
  return { v4: e.PrivateIpSets.PrivateIpSet.filter((a) => !a.Primary).length, v6: e.Ipv6Sets.Ipv6Set.length };
}

export function eniColumns(vSwitches: Map<string, VSwitchWire>, actions: EniRowActions): ColumnsType<EniWire> {
  return [
    {
      title: 'ENI ID / Name',
      key: 'id',
      fixed: 'left',
      width: 220,
      render: (_, e) => <ResourceId id={e.NetworkInterfaceId} name={e.NetworkInterfaceName} to={`/enis/${e.NetworkInterfaceId}`} />,
    },
    { title: 'Status', dataIndex: 'Status', width: 110, render: (s: string) => <StatusTag status={s} /> },
    { title: 'Type', dataIndex: 'Type', width: 95, render: (t: string) => <Tag bordered={false}>{t}</Tag> },
    { title: 'Primary Private IP', dataIndex: 'PrivateIpAddress', width: 130, render: (ip: string) => <span style={mono}>{ip}</span> },
    {
      title: 'Secondary IPs',
      key: 'secondary',
      width: 115,
      render: (_, e) => {
        const { v4, v6 } = secondaryCounts(e);
        const prefixes = heldPrefixes(e);
        const nPrefixes = prefixes[4].length + prefixes[6].length;
        return (
          <>
            <Tooltip title={`${v4} secondary private IPv4, ${v6} IPv6`}>
              <span data-testid="secondary-count">
                IPv4 {v4} · IPv6 {v6}
              </span>
            </Tooltip>
            {nPrefixes > 0 && (
              <Tooltip title={[...prefixes[4], ...prefixes[6]].join(', ')}>
                <div data-testid="prefix-count" style={{ fontSize: 12 }}>
                  Prefixes: IPv4 {prefixes[4].length} · IPv6 {prefixes[6].length}
                </div>
              </Tooltip>
            )}
          </>
        );
      },
    },
    {
      title: 'Bound Instance',
      dataIndex: 'InstanceId',
      width: 190,
      render: (id: string) => (id ? <span style={mono}>{id}</span> : <Typography.Text type="secondary">-</Typography.Text>),
    },
    {
      title: 'Tags',
      key: 'tags',
      width: 170,
      render: (_, e) => {
        const tags = e.Tags.Tag;
        if (tags.length === 0) return <Typography.Text type="secondary">-</Typography.Text>;
        const text = (t: { TagKey: string; TagValue: string }) => (t.TagValue ? `${t.TagKey}: ${t.TagValue}` : t.TagKey);
        return (
          <Tooltip title={tags.map(text).join(', ')}>
            <span data-testid="eni-row-tags">
              {tags.slice(0, 2).map((t) => (
                <Tag key={t.TagKey} bordered={false}>
                  {text(t)}
                </Tag>
              ))}
              {tags.length > 2 ? `+${tags.length - 2}` : ''}
            </span>
          </Tooltip>
        );
      },
    },
    {
      title: 'VPC / vSwitch',
      key: 'net',
      width: 215,
      render: (_, e) => {
        const v = vSwitches.get(e.VSwitchId);
        return (
          <div style={{ fontSize: 12 }}>
            <div style={mono}>{e.VpcId}</div>
            <div style={mono}>{e.VSwitchId}</div>
            {v && (
              <div style={{ color: 'rgba(0,0,0,.55)' }}>
                {v.VSwitchName ? `${v.VSwitchName} · ` : ''}
                {v.CidrBlock}
              </div>
            )}
          </div>
        );
      },
    },
    { title: 'Zone', dataIndex: 'ZoneId', width: 120 },
    {
      title: 'Actions',
      key: 'actions',
      fixed: 'right',
      width: 200,
      render: (_, e) => <RowActions eni={e} actions={actions} />,
    },
  ];
}

function RowActions({ eni: e, actions }: { eni: EniWire; actions: EniRowActions }) {
  const secondary = e.Type !== 'Primary'; // Trunk and Member ENIs bind, unbind and delete like Secondary ones
  return (
    <Flex wrap gap={0} style={{ marginLeft: -7 }}>
      <Button type="link" size="small" onClick={() => actions.manage(e)}>
        Manage ENI IP Addresses
      </Button>
      {e.Status === 'InUse' && secondary ? (
        <>
          <Popconfirm
            title={`Unbind ${e.NetworkInterfaceId}?`}
            description={`Traffic to its addresses stops reaching ${e.InstanceId}.`}
            okText="Unbind"
            onConfirm={() => actions.unbind(e)}
          >
            <Button type="link" size="small">
              Unbind
            </Button>
          </Popconfirm>
          <Button type="link" size="small" onClick={() => actions.move(e)}>
            Move
          </Button>
        </>
      ) : secondary ? (
        <Tooltip title={!eniBindable(e) ? `The ENI is ${e.Status}.` : undefined}>
          <Button type="link" size="small" disabled={!eniBindable(e)} onClick={() => actions.bind(e)}>
            Bind to Instance
          </Button>
        </Tooltip>
      ) : null}
      {secondary && (
        <Tooltip title={e.Status !== 'Available' ? 'Only an Available ENI can be deleted: unbind it first.' : undefined}>
          <Button type="link" size="small" danger disabled={e.Status !== 'Available'} onClick={() => actions.remove(e)}>
            Delete
          </Button>
        </Tooltip>
      )}
    </Flex>
  );
}
