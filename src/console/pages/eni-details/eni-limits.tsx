// The limits that apply to the ENI: the Available-state caps, or the bound
// instance type's figures (DescribeInstanceTypes) while it is bound.
import { Card, Progress, Table, Tag, Typography } from 'antd';
import { useSignedIn } from '../../state/session.tsx';
import { limitRows, quotaFor, type LimitRow } from '../../logic/eni-quota.ts';
import type { EniContext } from '../../dialogs/manage-ips/use-eni-context.ts';

export function EniLimits({ ctx }: { ctx: EniContext }) {
  const { limits } = useSignedIn();
  const { eni, instanceType } = ctx;
  const rows = limitRows(eni.Status, limits, instanceType);
  const v4 = eni.PrivateIpSets.PrivateIpSet.length;
  const v6 = eni.Ipv6Sets.Ipv6Set.length;
  const q4 = quotaFor(eni.Status, 4, limits, instanceType);
  const q6 = quotaFor(eni.Status, 6, limits, instanceType);
  return (
    <Card title="Address limits" data-testid="eni-limits">
      <Table<LimitRow>
        size="small"
        pagination={false}
        rowKey="state"
        dataSource={rows}
        columns={[
          {
            title: 'ENI state',
            dataIndex: 'state',
            render: (s: string, r) => (
              <span>
                {s} {r.appliesNow && <Tag color="orange">applies now</Tag>}
              </span>
            ),
          },
          {
            title: 'Private IPv4 per ENI (incl. primary)',
            dataIndex: 'ipv4',
            render: (n?: number) => n ?? <Typography.Text type="secondary">by instance type</Typography.Text>,
          },
          {
            title: 'IPv6 per ENI',
            dataIndex: 'ipv6',
            render: (n?: number) => n ?? <Typography.Text type="secondary">by instance type</Typography.Text>,
          },
          { title: 'Source', dataIndex: 'source' },
        ]}
      />
      <div style={{ marginTop: 16, maxWidth: 520 }}>
        <Typography.Text>
          Private IPv4 in use: {v4} of {q4.max}
        </Typography.Text>
        <Progress percent={Math.round((v4 / q4.max) * 100)} status={v4 >= q4.max ? 'exception' : 'normal'} size="small" />
        <Typography.Text>
          IPv6 in use: {v6} of {q6.max}
        </Typography.Text>
        <Progress percent={Math.round((v6 / q6.max) * 100)} status={v6 >= q6.max ? 'exception' : 'normal'} size="small" />
      </div>
    </Card>
  );
}
