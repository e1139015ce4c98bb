// vSwitches: list with free address counts (AvailableIpAddressCount), create, delete.
import { Progress, Tag, Tooltip } from 'antd';
import { deleteVSwitch, listVSwitches } from '../../api/ecs.ts';
import type { VSwitchWire } from '../../api/wire.ts';
import { useAsync } from '../../hooks/use-async.ts';
import { useScope } from '../../state/scope.tsx';
import { usableIpv4Count, parseIpv4Cidr } from '../../../ipam/index.ts';
import { DeleteLink, NetworkListPage } from '../../components/network-list-page.tsx';
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
  const list = useAsync(() => listVSwitches(scope), [scope.regionId, scope.resourceGroupId], { pollMs: () => 15_000 });
  return (
    <NetworkListPage<VSwitchWire>
      title="vSwitches"
      subtitle="Subnets of a VPC in one zone. ENI addresses come from the vSwitch's CIDR blocks; the first and the last three IPv4 addresses are reserved."
      plural="vSwitches"
      create="Create vSwitch"
      list={list}
      rowKey="VSwitchId"
      testId="vswitch-table"
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
            <DeleteLink
              id={v.VSwitchId}
              why="A vSwitch can be deleted once no ENI (and so no instance) uses it."
              run={() => deleteVSwitch(scope.regionId, v.VSwitchId)}
              after={() => void list.reload()}
            />
          ),
        },
      ]}
      emptyHint="A vSwitch needs a VPC. ENIs and instances take their addresses from it."
      dialog={(p) => <CreateVSwitchDialog {...p} />}
    />
  );
}
