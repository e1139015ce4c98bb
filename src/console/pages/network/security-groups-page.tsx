// Security groups: list, create, delete. Every ENI joins at least one group of its VPC.
import { useState } from 'react';
import { Button, Card, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { deleteSecurityGroup, listSecurityGroups } from '../../api/ecs.ts';
import type { SecurityGroupWire } from '../../api/wire.ts';
import { useAsync } from '../../hooks/use-async.ts';
import { useConfirmDelete } from '../../hooks/use-delete.ts';
import { useScope } from '../../state/scope.tsx';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { NextStepEmpty } from '../../components/next-step-empty.tsx';
import { ResourceId } from '../../components/resource-id.tsx';
import { CreateSecurityGroupDialog } from '../../dialogs/create-security-group-dialog.tsx';

export function SecurityGroupsPage() {
  const scope = useScope();
  const [creating, setCreating] = useState(false);
  const list = useAsync(() => listSecurityGroups(scope), [scope.regionId, scope.resourceGroupId]);
  const confirmDelete = useConfirmDelete();
  return (
    <div>
      <PageHeader
        title="Security Groups"
        subtitle="Every ENI joins one to five groups of its VPC. A basic group holds up to 2,000 private IPs, an enterprise group 65,536."
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            Create Security Group
          </Button>
        }
      />
      <ApiErrorAlert error={list.error} title="Listing security groups failed" />
      <Card>
        <Table<SecurityGroupWire>
          rowKey="SecurityGroupId"
          data-testid="sg-table"
          loading={list.loading && !list.data}
          dataSource={list.data ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            {
              title: 'Security group ID / Name',
              key: 'id',
              render: (_, g) => <ResourceId id={g.SecurityGroupId} name={g.SecurityGroupName} />,
            },
            { title: 'VPC', dataIndex: 'VpcId' },
            {
              title: 'Type',
              dataIndex: 'SecurityGroupType',
              render: (t: string) => <Tag>{t === 'enterprise' ? 'Enterprise' : 'Basic'}</Tag>,
            },
            { title: 'Description', dataIndex: 'Description' },
            { title: 'Created', dataIndex: 'CreationTime', render: (t: string) => new Date(t).toLocaleString() },
            {
              title: 'Actions',
              key: 'a',
              render: (_, g) => (
                <Button
                  type="link"
                  size="small"
                  danger
                  onClick={() =>
                    confirmDelete({
                      title: `Delete ${g.SecurityGroupId}?`,
                      content: 'A security group can be deleted once no ENI is in it.',
                      run: () => deleteSecurityGroup(scope.regionId, g.SecurityGroupId),
                      after: () => void list.reload(),
                      done: `Deleted ${g.SecurityGroupId}`,
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
                title={`No security groups in ${scope.regionId}`}
                action={
                  <Button type="primary" onClick={() => setCreating(true)}>
                    Create Security Group
                  </Button>
                }
              >
                A security group belongs to a VPC; create the VPC first.
              </NextStepEmpty>
            ),
          }}
        />
      </Card>
      {creating && <CreateSecurityGroupDialog onClose={() => setCreating(false)} onCreated={() => void list.reload()} />}
    </div>
  );
}
