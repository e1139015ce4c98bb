// VPCs: list, create (optionally with an IPv6 /56), delete.
import { Button, Tag } from 'antd';
import { deleteVpc, listVpcs } from '../../api/ecs.ts';
import type { VpcWire } from '../../api/wire.ts';
import { useAsync } from '../../hooks/use-async.ts';
import { useScope } from '../../state/scope.tsx';
import { createdColumn, DeleteLink, NetworkListPage } from '../../components/network-list-page.tsx';
import { ResourceId } from '../../components/resource-id.tsx';
import { CreateVpcDialog } from '../../dialogs/create-vpc-dialog.tsx';
import { navigate } from '../../router.tsx';

export function VpcsPage() {
  const scope = useScope();
  const list = useAsync(() => listVpcs(scope), [scope.regionId, scope.resourceGroupId]);
  return (
    <NetworkListPage<VpcWire>
      title="VPCs"
      subtitle="Private networks. Each holds vSwitches (subnets, one zone each) and security groups. Enable IPv6 to give ENIs IPv6 addresses."
      plural="VPCs"
      create="Create VPC"
      list={list}
      rowKey="VpcId"
      testId="vpc-table"
      columns={[
        { title: 'VPC ID / Name', key: 'id', render: (_, v) => <ResourceId id={v.VpcId} name={v.VpcName} /> },
        { title: 'Status', dataIndex: 'Status', render: (s: string) => <Tag color="blue">{s}</Tag> },
        { title: 'IPv4 CIDR block', dataIndex: 'CidrBlock' },
        { title: 'IPv6 CIDR block', dataIndex: 'Ipv6CidrBlock', render: (c: string) => c || <Tag>not enabled</Tag> },
        { title: 'vSwitches', key: 'vsw', render: (_, v) => v.VSwitchIds.VSwitchId.length },
        createdColumn,
        {
          title: 'Actions',
          key: 'a',
          render: (_, v) => (
            <>
              <Button type="link" size="small" onClick={() => navigate('/vswitches')}>
                vSwitches
              </Button>
              <DeleteLink
                id={v.VpcId}
                why="A VPC can be deleted once its vSwitches and security groups are gone."
                run={() => deleteVpc(scope.regionId, v.VpcId)}
                after={() => void list.reload()}
              />
            </>
          ),
        },
      ]}
      emptyHint="Start here: a VPC, then a vSwitch and a security group in it, then ENIs and instances."
      dialog={(p) => <CreateVpcDialog {...p} />}
    />
  );
}
