// The first-run guide: what exists in this region and the next thing to create,
// from nothing to an ENI with secondary private IPs.
import { Button, Card, Steps, Typography } from 'antd';
import { countNetworks } from '../api/ecs.ts';
import { useAsync } from '../hooks/use-async.ts';
import { navigate } from '../router.tsx';
import { useScope } from '../state/scope.tsx';

export function GettingStarted({ onCreateEni }: { onCreateEni(): void }) {
  const scope = useScope();
  // three requests (a page of one each, for TotalCount), whatever the region holds
  const counts = useAsync(() => countNetworks(scope), [scope.regionId, scope.resourceGroupId]);
  const c = counts.data;
  const current = !c ? 0 : c.vpcs === 0 ? 0 : c.vsws === 0 ? 1 : c.sgs === 0 ? 2 : 3;
  const step = (title: string, done: boolean, description: string, action: React.ReactNode) => ({
    title,
    status: done ? ('finish' as const) : undefined,
    content: (
      <div>
        <Typography.Text type="secondary">{description}</Typography.Text>
        <div style={{ marginTop: 6 }}>{action}</div>
      </div>
    ),
  });
  return (
    <Card title={`No ENIs in ${scope.regionLabel} (${scope.regionId}) yet`} data-testid="getting-started" style={{ maxWidth: 900 }}>
      <Typography.Paragraph>
        An ENI lives in a vSwitch of a VPC and joins at least one security group. Create them in this order; each step opens the page that
        does it.
      </Typography.Paragraph>
      <Steps
        orientation="vertical"
        current={current}
        items={[
          step(
            'Create a VPC',
            !!c && c.vpcs > 0,
            c && c.vpcs > 0 ? `${c.vpcs} VPC(s) here.` : 'A private network with an IPv4 CIDR block (and IPv6 if you want IPv6 addresses).',
            <Button size="small" onClick={() => navigate('/vpcs')}>
              Go to VPCs
            </Button>,
          ),
          step(
            'Create a vSwitch',
            !!c && c.vsws > 0,
            c && c.vsws > 0 ? `${c.vsws} vSwitch(es) here.` : 'A subnet of the VPC in one zone; ENI addresses come from its CIDR block.',
            <Button size="small" onClick={() => navigate('/vswitches')}>
              Go to vSwitches
            </Button>,
          ),
          step(
            'Create a security group',
            !!c && c.sgs > 0,
            c && c.sgs > 0 ? `${c.sgs} security group(s) here.` : 'Every ENI joins at least one security group of its VPC.',
            <Button size="small" onClick={() => navigate('/security-groups')}>
              Go to Security Groups
            </Button>,
          ),
          step(
            'Create an ENI',
            false,
            'Then manage its secondary private IPv4 and IPv6 addresses, and bind it to an instance.',
            <Button size="small" type="primary" disabled={current < 3} onClick={onCreateEni}>
              Create ENI
            </Button>,
          ),
        ]}
      />
    </Card>
  );
}
