// The top navigation bar: product name, region selector, resource group
// selector, and the signed-in account with Sign out.
import { Button, Dropdown, Flex, Layout, Select, Space, Typography } from 'antd';
import { EnvironmentOutlined, FolderOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useScope } from '../state/scope.tsx';
import { regionName } from '../logic/region-names.ts';
import { useSession, useSignedIn } from '../state/session.tsx';

export function TopBar() {
  const scope = useScope();
  const session = useSignedIn();
  const { signOut } = useSession();
  return (
    <Layout.Header style={{ background: '#fff', borderBottom: '1px solid #e8e8e8', padding: '0 16px', height: 52, lineHeight: '52px' }}>
      <Flex align="center" justify="space-between" style={{ height: '100%' }} gap={16}>
        <Flex align="center" gap={20}>
          <Typography.Text strong style={{ fontSize: 16 }}>
            <span style={{ color: '#ff6a00' }}>eniplane</span> ECS console
          </Typography.Text>
          <Space size={6}>
            <EnvironmentOutlined aria-hidden />
            <Select
              aria-label="Region"
              data-testid="region-select"
              value={scope.regionId}
              onChange={scope.setRegion}
              style={{ width: 270 }}
              options={scope.regions.map((r) => ({ value: r.regionId, label: `${regionName(r.regionId, r.localName)} · ${r.regionId}` }))}
            />
          </Space>
          <Space size={6}>
            <FolderOutlined aria-hidden />
            <Select
              aria-label="Resource group"
              data-testid="resource-group-select"
              value={scope.resourceGroupId ?? ''}
              onChange={scope.setResourceGroup}
              style={{ width: 220 }}
              options={[
                { value: '', label: 'All resource groups' },
                ...scope.resourceGroups.map((g) => ({ value: g.resourceGroupId, label: g.displayName })),
              ]}
            />
          </Space>
        </Flex>
        <Dropdown
          trigger={['click']}
          menu={{
            items: [
              {
                key: 'id',
                label: (
                  <span>
                    Account {session.accountId}
                    <br />
                    AccessKey {session.accessKeyId}
                  </span>
                ),
                disabled: true,
              },
              { type: 'divider' },
              {
                key: 'out',
                icon: <LogoutOutlined />,
                label: 'Sign out',
                onClick: () => {
                  void signOut();
                },
              },
            ],
          }}
        >
          <Button type="text" icon={<UserOutlined />} data-testid="account-menu">
            {session.accountName || session.accountId}
          </Button>
        </Dropdown>
      </Flex>
    </Layout.Header>
  );
}
