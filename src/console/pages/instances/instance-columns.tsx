// The instance table's columns and actions.
import { Button, Flex, Popconfirm, Tooltip, Typography } from 'antd';
import type { TableColumnsType as ColumnsType } from 'antd';
import type { InstanceWire } from '../../api/wire.ts';
import { ResourceId } from '../../components/resource-id.tsx';
import { StatusTag } from '../../components/status-tag.tsx';
import { instanceTakesEnis } from '../../logic/attach-eligibility.ts';

export interface InstanceActions {
  start(i: InstanceWire): Promise<void>;
  stop(i: InstanceWire): Promise<void>;
  bind(i: InstanceWire): void;
  remove(i: InstanceWire): void;
}

const mono = { fontFamily: 'ui-monospace, monospace', fontSize: 12.5 };

export function instanceColumns(a: InstanceActions): ColumnsType<InstanceWire> {
  return [
    { title: 'Instance ID / Name', key: 'id', width: 220, render: (_, i) => <ResourceId id={i.InstanceId} name={i.InstanceName} /> },
    { title: 'Status', dataIndex: 'Status', width: 110, render: (s: string) => <StatusTag status={s} /> },
    { title: 'Instance Type', dataIndex: 'InstanceType', width: 130 },
    { title: 'Zone', dataIndex: 'ZoneId', width: 120 },
    {
      title: 'VPC / vSwitch',
      key: 'net',
      width: 215,
      render: (_, i) => (
        <div style={mono}>
          {i.VpcAttributes.VpcId}
          <br />
          {i.VpcAttributes.VSwitchId}
        </div>
      ),
    },
    {
      title: 'Primary Private IP',
      key: 'ip',
      width: 130,
      render: (_, i) => <span style={mono}>{i.VpcAttributes.PrivateIpAddress.IpAddress[0] ?? '-'}</span>,
    },
    {
      title: 'ENIs',
      key: 'enis',
      width: 110,
      render: (_, i) => {
        const all = i.NetworkInterfaces.NetworkInterface;
        const secondary = all.filter((e) => e.Type === 'Secondary').length;
        return (
          <Tooltip title={all.map((e) => `${e.NetworkInterfaceId} (${e.Type})`).join(', ')}>
            <span>
              {all.length} <Typography.Text type="secondary">{secondary ? `(${secondary} sec.)` : ''}</Typography.Text>
            </span>
          </Tooltip>
        );
      },
    },
    {
      title: 'Actions',
      key: 'actions',
      width: 180,
      fixed: 'right',
      render: (_, i) => (
        <Flex wrap style={{ marginLeft: -7 }}>
          {i.Status === 'Stopped' ? (
            <Button type="link" size="small" onClick={() => void a.start(i)}>
              Start
            </Button>
          ) : (
            <Popconfirm title={`Stop ${i.InstanceId}?`} okText="Stop" onConfirm={() => a.stop(i)} disabled={i.Status !== 'Running'}>
              <Button type="link" size="small" disabled={i.Status !== 'Running'}>
                Stop
              </Button>
            </Popconfirm>
          )}
          <Button type="link" size="small" onClick={() => a.bind(i)} disabled={!instanceTakesEnis(i)}>
            Bind ENI
          </Button>
          <Tooltip title={i.Status !== 'Stopped' ? 'Stop the instance first.' : undefined}>
            <Button type="link" size="small" danger disabled={i.Status !== 'Stopped'} onClick={() => a.remove(i)}>
              Delete
            </Button>
          </Tooltip>
        </Flex>
      ),
    },
  ];
}
