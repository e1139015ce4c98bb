// vSwitches: list with free address counts (AvailableIpAddressCount), create, delete.
import { useState } from 'react';
import { Button, Card, Progress, Table, Tag, Tooltip } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { deleteVSwitch, listVSwitches } from '../../api/ecs.ts';
import type { VSwitchWire } from '../../api/wire.ts';
import { useAsync } from '../../hooks/use-async.ts';
import { useConfirmDelete } from '../../hooks/use-delete.ts';
import { useScope } from '../../state/scope.tsx';
import { usableIpv4Count, parseIpv4Cidr } from '../../../ipam/index.ts';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { NextStepEmpty } from '../../components/next-step-empty.tsx';
import { ResourceId } from '../../components/resource-id.tsx';
import { CreateVSwitchDialog } from '../../dialogs/create-vswitch-dialog.tsx';

function usable(cidr: string): number {
  try {
    return usableIpv4Count(parseIpv4Cidr(cidr));
  } catch {
    return 0;
  }
}

export function VSwitchesPage() {
  const scope = useScope();
  const [creating, setCreating] = useState(false);
  const list = useAsync(() => listVSwitches(scope), [scope.regionId, scope.resourceGroupId], { pollMs: () => 15_000 });
  const confirmDelete = useConfirmDelete();
  return (
    <div>
      <PageHeader
        title="vSwitches"
        subtitle="Subnets of a VPC in one zone. ENI addresses come from the vSwitch's CIDR blocks; the first and the last three IPv4 addresses are reserved."
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            Create vSwitch
          </Button>
        }
      />
      <ApiErrorAlert error={list.error} title="Listing vSwitches failed" />
      <Card>
        <Table<VSwitchWire>
          rowKey="VSwitchId"
          data-testid="vswitch-table"
          loading={list.loading && !list.data}
          dataSource={list.data ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            { title: 'vSwitch ID / Name', key: 'id', render: (_, v) => <ResourceId id={v.VSwitchId} name={v.VSwitchName} /> },
            { title: 'VPC', dataIndex: 'VpcId' },
            { title: 'Zone', dataIndex: 'ZoneId' },
            { title: 'IPv4 CIDR block', dataIndex: 'CidrBlock' },
            { title: 'IPv6 CIDR block', dataIndex: 'Ipv6CidrBlock', render: (c: string) => c || <Tag>not enabled</Tag> },
            {
              title: 'Free IPv4 addresses',
              dataIndex: 'AvailableIpAddressCount',
              render: (n: number, v) => {
                const total = usable(v.CidrBlock);
                return (
                  <Tooltip title={`${n} of ${total} usable addresses are free`}>
                    <div style={{ minWidth: 140 }}>
                      <span data-testid="free-count">{n.toLocaleString('en-US')}</span>
                      <Progress percent={total ? Math.round(((total - n) / total) * 100) : 0} size="small" showInfo={false} />
                    </div>
                  </Tooltip>
                );
              },
            },
            {
              title: 'Actions',
              key: 'a',
              render: (_, v) => (
                <Button
                  type="link"
                  size="small"
                  danger
                  onClick={() =>
                    confirmDelete({
                      title: `Delete ${v.VSwitchId}?`,
                      content: 'A vSwitch can be deleted once no ENI (and so no instance) uses it.',
                      run: () => deleteVSwitch(scope.regionId, v.VSwitchId),
                      after: () => void list.reload(),
                      done: `Deleted ${v.VSwitchId}`,
                    })
                  }
                >
                  Delete
                </Button>
              ),
            },
          ]}
          locale={{
            emptyText: (
              <NextStepEmpty
                title={`No vSwitches in ${scope.regionId}`}
                action={
                  <Button type="primary" onClick={() => setCreating(true)}>
                    Create vSwitch
                  </Button>
                }
              >
                A vSwitch needs a VPC. ENIs and instances take their addresses from it.
              </NextStepEmpty>
            ),
          }}
        />
      </Card>
      {creating && <CreateVSwitchDialog onClose={() => setCreating(false)} onCreated={() => void list.reload()} />}
    </div>
  );
}
