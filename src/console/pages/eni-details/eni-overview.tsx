// The ENI's attributes: ids, state, network placement, MAC, binding, security groups.
import { Card, Descriptions, Tag, Typography } from 'antd';
import { describeSecurityGroupsPage } from '../../api/ecs.ts';
import { useAsync } from '../../hooks/use-async.ts';
import { useScope } from '../../state/scope.tsx';
import { StatusTag } from '../../components/status-tag.tsx';
import type { EniContext } from '../../dialogs/manage-ips/use-eni-context.ts';

const mono = { fontFamily: 'ui-monospace, monospace' };

export function EniOverview({ ctx }: { ctx: EniContext }) {
  const scope = useScope();
  const { eni, vSwitch, instance } = ctx;
  // the names of the ENI's own groups (at most 10): one request by id, not every group of the VPC
  const groupIds = eni.SecurityGroupIds.SecurityGroupId;
  const sgs = useAsync(
    () => describeSecurityGroupsPage({ regionId: scope.regionId }, { pageNumber: 1, pageSize: 50 }, { ids: groupIds }),
    [scope.regionId, groupIds.join()],
  );
  const sgName = new Map((sgs.data?.items ?? []).map((g) => [g.SecurityGroupId, g]));
  return (
    <Card title="Basic information" style={{ marginBottom: 16 }} data-testid="eni-overview">
      <Descriptions
        column={{ xs: 1, md: 2, xl: 3 }}
        size="small"
        items={[
          {
            key: 'id',
            label: 'ENI ID',
            children: (
              <Typography.Text copyable style={mono}>
                {eni.NetworkInterfaceId}
              </Typography.Text>
            ),
          },
          { key: 'name', label: 'Name', children: eni.NetworkInterfaceName || <Typography.Text type="secondary">-</Typography.Text> },
          { key: 'status', label: 'Status', children: <StatusTag status={eni.Status} /> },
          {
            key: 'type',
            label: 'Type',
            // A member names the trunk ENI it is bound through (terway's trunk mode).
            children:
              eni.Type === 'Member' && eni.Attachment?.TrunkNetworkInterfaceId ? (
                <span>
                  Member of <span style={mono}>{eni.Attachment.TrunkNetworkInterfaceId}</span>
                </span>
              ) : (
                eni.Type
              ),
          },
          {
            key: 'mac',
            label: 'MAC address',
            children: (
              <Typography.Text copyable style={mono}>
                {eni.MacAddress}
              </Typography.Text>
            ),
          },
          {
            key: 'primary',
            label: 'Primary private IP',
            children: (
              <Typography.Text copyable style={mono}>
                {eni.PrivateIpAddress}
              </Typography.Text>
            ),
          },
          { key: 'vpc', label: 'VPC', children: <span style={mono}>{eni.VpcId}</span> },
          {
            key: 'vsw',
            label: 'vSwitch',
            children: (
              <span>
                <span style={mono}>{eni.VSwitchId}</span>
                {vSwitch && (
                  <Typography.Text type="secondary">
                    {' '}
                    · {vSwitch.CidrBlock}
                    {vSwitch.Ipv6CidrBlock ? ` · ${vSwitch.Ipv6CidrBlock}` : ''}
                  </Typography.Text>
                )}
              </span>
            ),
          },
          { key: 'zone', label: 'Zone', children: eni.ZoneId },
          {
            key: 'instance',
            label: 'Bound instance',
            children: eni.InstanceId ? (
              <span>
                <span style={mono}>{eni.InstanceId}</span>
                {instance && (
                  <Typography.Text type="secondary">
                    {' '}
                    · {instance.InstanceName || 'unnamed'} · {instance.InstanceType} · {instance.Status}
                  </Typography.Text>
                )}
              </span>
            ) : (
              <Typography.Text type="secondary">not bound</Typography.Text>
            ),
          },
          { key: 'dev', label: 'Device index', children: eni.InstanceId ? String(eni.Attachment?.DeviceIndex ?? '-') : '-' },
          {
            key: 'rg',
            label: 'Resource group',
            children: scope.resourceGroups.find((g) => g.resourceGroupId === eni.ResourceGroupId)?.displayName ?? eni.ResourceGroupId,
          },
          {
            key: 'sg',
            label: 'Security groups',
            span: 2,
            children: eni.SecurityGroupIds.SecurityGroupId.map((id) => (
              <Tag key={id}>{sgName.get(id)?.SecurityGroupName ? `${sgName.get(id)!.SecurityGroupName} (${id})` : id}</Tag>
            )),
          },
          { key: 'created', label: 'Created', children: new Date(eni.CreationTime).toLocaleString() },
          {
            key: 'desc',
            label: 'Description',
            span: 2,
            children: eni.Description || <Typography.Text type="secondary">-</Typography.Text>,
          },
          { key: 'dor', label: 'Delete with instance', children: eni.DeleteOnRelease ? 'Yes' : 'No' },
        ]}
      />
    </Card>
  );
}
