// Security groups: list, create, delete. Every ENI joins at least one group of its VPC.
import { Tag } from 'antd';
import { deleteSecurityGroup, listSecurityGroups } from '../../api/ecs.ts';
import type { SecurityGroupWire } from '../../api/wire.ts';
import { useAsync } from '../../hooks/use-async.ts';
import { useScope } from '../../state/scope.tsx';
import { createdColumn, DeleteLink, NetworkListPage } from '../../components/network-list-page.tsx';
import { ResourceId } from '../../components/resource-id.tsx';
import { CreateSecurityGroupDialog } from '../../dialogs/create-security-group-dialog.tsx';

export function SecurityGroupsPage() {
  const scope = useScope();
  const list = useAsync(() => listSecurityGroups(scope), [scope.regionId, scope.resourceGroupId]);
  return (
    <NetworkListPage<SecurityGroupWire>
      title="Security Groups"
      subtitle="Every ENI joins one to five groups of its VPC. A basic group holds up to 2,000 private IPs, an enterprise group 65,536."
      plural="security groups"
      create="Create Security Group"
      list={list}
      rowKey="SecurityGroupId"
      testId="sg-table"
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
        createdColumn,
        {
          title: 'Actions',
          key: 'a',
          render: (_, g) => (
            <DeleteLink
              id={g.SecurityGroupId}
              why="A security group can be deleted once no ENI is in it."
              run={() => deleteSecurityGroup(scope.regionId, g.SecurityGroupId)}
              after={() => void list.reload()}
            />
          ),
        },
      ]}
      emptyHint="A security group belongs to a VPC; create the VPC first."
      dialog={(p) => <CreateSecurityGroupDialog {...p} />}
    />
  );
}
