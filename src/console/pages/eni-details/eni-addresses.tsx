// The ENI's addresses: primary and secondary private IPv4, and IPv6.
import { Button, Card, Col, List, Row, Tag, Typography } from 'antd';
import type { EniContext } from '../../dialogs/manage-ips/use-eni-context.ts';
import { heldPrefixes } from '../../logic/ip-prefixes.ts';

const mono = { fontFamily: 'ui-monospace, monospace' };

export function EniAddresses({ ctx, onManage }: { ctx: EniContext; onManage(): void }) {
  const { eni, vSwitch } = ctx;
  const v4 = eni.PrivateIpSets.PrivateIpSet;
  const v6 = eni.Ipv6Sets.Ipv6Set;
  const prefixes = heldPrefixes(eni);
  const allPrefixes = [...prefixes[4], ...prefixes[6]];
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
        <Col xs={24} style={{ marginTop: 16 }}>
          <Typography.Title level={5}>
            IP prefixes ({allPrefixes.length}){' '}
            <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
              routed to this ENI as a whole; the OS answers on them once configured (“Configure the OS”)
            </Typography.Text>
          </Typography.Title>
          <List
            size="small"
            bordered
            data-testid="eni-prefix-list"
            dataSource={allPrefixes}
            locale={{ emptyText: 'No IP prefixes. Assign some with Manage ENI IP Addresses.' }}
            renderItem={(p) => (
              <List.Item>
                <Typography.Text copyable style={mono}>
                  {p}
                </Typography.Text>
                <Tag>{p.includes(':') ? 'IPv6 /80' : 'IPv4 /28'}</Tag>
              </List.Item>
            )}
          />
        </Col>
      </Row>
    </Card>
  );
}
