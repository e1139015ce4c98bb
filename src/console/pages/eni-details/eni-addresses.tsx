// The ENI's addresses: primary and secondary private IPv4, and IPv6.
import { Button, Card, Col, List, Row, Tag, Typography } from 'antd';
import type { EniContext } from '../../dialogs/manage-ips/use-eni-context.ts';

const mono = { fontFamily: 'ui-monospace, monospace' };

export function EniAddresses({ ctx, onManage }: { ctx: EniContext; onManage(): void }) {
  const { eni, vSwitch } = ctx;
  const v4 = eni.PrivateIpSets.PrivateIpSet;
  const v6 = eni.Ipv6Sets.Ipv6Set;
  return (
    <Card
      title="IP addresses"
      extra={
        <Button size="small" onClick={onManage}>
          Manage ENI IP Addresses
        </Button>
      }
      style={{ marginBottom: 16 }}
    >
      <Row gutter={24}>
        <Col xs={24} lg={12}>
          <Typography.Title level={5}>
            Private IPv4 ({v4.length}){' '}
            <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
              {vSwitch?.CidrBlock}
            </Typography.Text>
          </Typography.Title>
          <List
            size="small"
            bordered
            data-testid="eni-ipv4-list"
            dataSource={v4}
            renderItem={(a) => (
              <List.Item>
                <Typography.Text copyable style={mono}>
                  {a.PrivateIpAddress}
                </Typography.Text>
                {a.Primary ? <Tag color="blue">Primary</Tag> : <Tag>Secondary</Tag>}
              </List.Item>
            )}
          />
        </Col>
        <Col xs={24} lg={12}>
          <Typography.Title level={5}>
            IPv6 ({v6.length}){' '}
            <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
              {vSwitch?.Ipv6CidrBlock || 'no IPv6 block on the vSwitch'}
            </Typography.Text>
          </Typography.Title>
          <List
            size="small"
            bordered
            data-testid="eni-ipv6-list"
            dataSource={v6}
            locale={{
              emptyText: vSwitch?.Ipv6CidrBlock
                ? 'No IPv6 addresses. Add some with Manage ENI IP Addresses.'
                : 'The vSwitch has no IPv6 CIDR block.',
            }}
            renderItem={(a) => (
              <List.Item>
                <Typography.Text copyable style={mono}>
                  {a.Ipv6Address}
                </Typography.Text>
              </List.Item>
            )}
          />
        </Col>
      </Row>
    </Card>
  );
}
