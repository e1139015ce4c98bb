// VPCs: list, create (optionally with an IPv6 /56), delete.
import { useState } from 'react';
import { Button, Card, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { deleteVpc, listVpcs } from '../../api/ecs.ts';
import type { VpcWire } from '../../api/wire.ts';
import { useAsync } from '../../hooks/use-async.ts';
import { useConfirmDelete } from '../../hooks/use-delete.ts';
import { useScope } from '../../state/scope.tsx';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { NextStepEmpty } from '../../components/next-step-empty.tsx';
import { ResourceId } from '../../components/resource-id.tsx';
import { CreateVpcDialog } from '../../dialogs/create-vpc-dialog.tsx';
import { navigate } from '../../router.tsx';

export function VpcsPage() {
  const scope = useScope();
  const [creating, setCreating] = useState(false);
  const list = useAsync(() => listVpcs(scope), [scope.regionId, scope.resourceGroupId]);
  const confirmDelete = useConfirmDelete();
  return (
    <div>
      <PageHeader
        title="VPCs"
        subtitle="Private networks. Each holds vSwitches (subnets, one zone each) and security groups. Enable IPv6 to give ENIs IPv6 addresses."
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            Create VPC
          </Button>
        }
      />
      <ApiErrorAlert error={list.error} title="Listing VPCs failed" />
      <Card>
        <Table<VpcWire>
          rowKey="VpcId"
          data-testid="vpc-table"
          loading={list.loading && !list.data}
          dataSource={list.data ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            { title: 'VPC ID / Name', key: 'id', render: (_, v) => <ResourceId id={v.VpcId} name={v.VpcName} /> },
            { title: 'Status', dataIndex: 'Status', render: (s: string) => <Tag color="blue">{s}</Tag> },
            { title: 'IPv4 CIDR block', dataIndex: 'CidrBlock' },
            { title: 'IPv6 CIDR block', dataIndex: 'Ipv6CidrBlock', render: (c: string) => c || <Tag>not enabled</Tag> },
            { title: 'vSwitches', key: 'vsw', render: (_, v) => v.VSwitchIds.VSwitchId.length },
            { title: 'Created', dataIndex: 'CreationTime', render: (t: string) => new Date(t).toLocaleString() },
            {
              title: 'Actions',
              key: 'a',
              render: (_, v) => (
                <>
                  <Button type="link" size="small" onClick={() => navigate('/vswitches')}>
                    vSwitches
                  </Button>
                  <Button
                    type="link"
                    size="small"
                    danger
                    onClick={() =>
                      confirmDelete({
                        title: `Delete ${v.VpcId}?`,
                        content: 'A VPC can be deleted once its vSwitches and security groups are gone.',
                        run: () => deleteVpc(scope.regionId, v.VpcId),
                        after: () => void list.reload(),
                        done: `Deleted ${v.VpcId}`,
                      })
                    }
                  >
                    Delete
                  </Button>
                </>
              ),
            },
          ]}
          locale={{
            emptyText: (
              <NextStepEmpty
                title={`No VPCs in ${scope.regionId}`}
                action={
                  <Button type="primary" onClick={() => setCreating(true)}>
                    Create VPC
                  </Button>
                }
              >
                Start here: a VPC, then a vSwitch and a security group in it, then ENIs and instances.
              </NextStepEmpty>
            ),
          }}
        />
      </Card>
      {creating && <CreateVpcDialog onClose={() => setCreating(false)} onCreated={() => void list.reload()} />}
    </div>
  );
}
