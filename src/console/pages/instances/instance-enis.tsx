// The ENIs of one instance, live: DescribeNetworkInterfaces?InstanceId also
// lists ENIs being attached or detached, so Attaching/Detaching show here.
import { App, Button, Flex, Popconfirm, Table, Tag, Typography } from 'antd';
import { describeEnis, detachEni } from '../../api/ecs.ts';
import type { EniWire, InstanceWire } from '../../api/wire.ts';
import { useAsync } from '../../hooks/use-async.ts';
import { useScope } from '../../state/scope.tsx';
import { ResourceId } from '../../components/resource-id.tsx';
import { StatusTag, TRANSITIONAL } from '../../components/status-tag.tsx';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';
import { withPending } from '../../logic/optimistic.ts';
import { markTransition, usePendingTransitions } from '../../state/pending-transitions.ts';

export function InstanceEnis({
  instance,
  refreshKey,
  onBind,
  onMove,
  onChanged,
}: {
  instance: InstanceWire;
  refreshKey: number;
  onBind(): void;
  onMove(e: EniWire): void;
  onChanged(): void;
}) {
  const scope = useScope();
  const { message } = App.useApp();
  const enis = useAsync(
    () => describeEnis({ regionId: scope.regionId }, { instanceId: instance.InstanceId }, { maxResults: 50 }),
    [scope.regionId, instance.InstanceId, refreshKey],
    { pollMs: (d) => (d.NetworkInterfaceSets.NetworkInterfaceSet.some((e) => TRANSITIONAL.has(e.Status)) ? 300 : 10_000) },
  );
  const unbind = async (e: EniWire) => {
    try {
      await detachEni(scope.regionId, e.NetworkInterfaceId, instance.InstanceId);
      markTransition(e, 'Detaching', instance.InstanceId);
      message.info(`Unbinding ${e.NetworkInterfaceId} from ${instance.InstanceId}`);
    } catch (err) {
      message.error(`${(err as { code?: string }).code ?? 'Error'}: ${(err as Error).message}`);
    }
    await enis.reload();
    onChanged();
  };
  const pending = usePendingTransitions();
  const rows = withPending(enis.data?.NetworkInterfaceSets.NetworkInterfaceSet ?? [], enis.dataAt, pending, instance.InstanceId).sort(
    (x, y) => (x.Attachment?.DeviceIndex ?? 99) - (y.Attachment?.DeviceIndex ?? 99),
  );
  return (
    <div data-testid={`instance-enis-${instance.InstanceId}`} style={{ padding: '4px 0 8px' }}>
      <ApiErrorAlert error={enis.error} title="Listing the instance's ENIs failed" />
      <Table<EniWire>
        size="small"
        rowKey="NetworkInterfaceId"
        pagination={false}
        loading={enis.loading && !enis.data}
        dataSource={rows}
        columns={[
          {
            title: 'ENI',
            key: 'id',
            render: (_, e) => <ResourceId id={e.NetworkInterfaceId} name={e.NetworkInterfaceName} to={`/enis/${e.NetworkInterfaceId}`} />,
          },
          { title: 'Type', dataIndex: 'Type', render: (t: string) => <Tag bordered={false}>{t}</Tag> },
          { title: 'Status', dataIndex: 'Status', render: (s: string) => <StatusTag status={s} /> },
          { title: 'Device', key: 'dev', render: (_, e) => `eth${e.Attachment?.DeviceIndex ?? '?'}` },
          { title: 'Primary IP', dataIndex: 'PrivateIpAddress' },
          {
            title: 'Secondary',
            key: 'sec',
            render: (_, e) => `IPv4 ${e.PrivateIpSets.PrivateIpSet.length - 1} · IPv6 ${e.Ipv6Sets.Ipv6Set.length}`,
          },
          {
            title: 'MAC',
            dataIndex: 'MacAddress',
            render: (m: string) => <Typography.Text style={{ fontFamily: 'ui-monospace, monospace', fontSize: 12 }}>{m}</Typography.Text>,
          },
          {
            title: 'Actions',
            key: 'a',
            render: (_, e) =>
              e.Type === 'Secondary' && e.Status === 'InUse' ? (
                <Flex>
                  <Popconfirm
                    title={`Unbind ${e.NetworkInterfaceId} from ${instance.InstanceId}?`}
                    okText="Unbind"
                    onConfirm={() => unbind(e)}
                  >
                    <Button type="link" size="small">
                      Unbind
                    </Button>
                  </Popconfirm>
                  <Button type="link" size="small" onClick={() => onMove(e)}>
                    Move to another instance
                  </Button>
                </Flex>
              ) : null,
          },
        ]}
      />
      <Button size="small" style={{ marginTop: 8 }} onClick={onBind}>
        Bind secondary ENI
      </Button>
    </div>
  );
}
