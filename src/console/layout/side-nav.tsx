// The navigation: the ENI pages first (the seed's flows), then what they need.
import { Menu } from 'antd';
import { ApartmentOutlined, AuditOutlined, ClusterOutlined, DesktopOutlined, NodeIndexOutlined, SafetyOutlined } from '@ant-design/icons';
import { navigate, BASE } from '../router.tsx';

const ITEMS = [
  { key: '/enis', icon: <NodeIndexOutlined />, label: 'Elastic Network Interfaces' },
  { key: '/instances', icon: <DesktopOutlined />, label: 'Instances' },
  { type: 'divider' as const },
  { key: '/vpcs', icon: <ClusterOutlined />, label: 'VPCs' },
  { key: '/vswitches', icon: <ApartmentOutlined />, label: 'vSwitches' },
  { key: '/security-groups', icon: <SafetyOutlined />, label: 'Security Groups' },
  { type: 'divider' as const },
  { key: '/audit', icon: <AuditOutlined />, label: 'Audit Trail' },
];

export function SideNav({ selected }: { selected: string }) {
  return (
    <nav aria-label="Console sections">
      <Menu
        mode="inline"
        selectedKeys={[selected]}
        style={{ borderInlineEnd: 0, paddingTop: 8 }}
        items={ITEMS.map((i) =>
          'key' in i
            ? {
                ...i,
                label: (
                  <a
                    href={BASE + i.key}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(i.key as string);
                    }}
                  >
                    {i.label}
                  </a>
                ),
              }
            : i,
        )}
      />
    </nav>
  );
}
