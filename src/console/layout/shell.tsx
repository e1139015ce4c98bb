// The signed-in console: top bar (region, resource group, account), the
// navigation, and the page for the current path.
import { useEffect } from 'react';
import { Button, Layout, Result, Spin } from 'antd';
import { consoleApi } from '../api/rpc.ts';
import type { RegionInfo, ResourceGroupInfo } from '../api/wire.ts';
import { useAsync } from '../hooks/use-async.ts';
import { ScopeProvider } from '../state/scope.tsx';
import { useSignedIn } from '../state/session.tsx';
import { navigate, useLocation } from '../router.tsx';
import { ApiErrorAlert } from '../components/api-error-alert.tsx';
import { TopBar } from './top-bar.tsx';
import { SideNav } from './side-nav.tsx';
import { EnisPage } from '../pages/enis/enis-page.tsx';
import { EniDetailsPage } from '../pages/eni-details/eni-details-page.tsx';
import { InstancesPage } from '../pages/instances/instances-page.tsx';
import { VpcsPage } from '../pages/network/vpcs-page.tsx';
import { VSwitchesPage } from '../pages/network/vswitches-page.tsx';
import { SecurityGroupsPage } from '../pages/network/security-groups-page.tsx';
import { AuditPage } from '../pages/audit/audit-page.tsx';

function Page({ path }: { path: string }) {
  const eni = /^\/enis\/([^/]+)$/.exec(path);
  if (eni) return <EniDetailsPage eniId={decodeURIComponent(eni[1])} />;
  switch (path) {
    case '/enis':
      return <EnisPage />;
    case '/instances':
      return <InstancesPage />;
    case '/vpcs':
      return <VpcsPage />;
    case '/vswitches':
      return <VSwitchesPage />;
    case '/security-groups':
      return <SecurityGroupsPage />;
    case '/audit':
      return <AuditPage />;
    default:
      return (
        <Result
          status="404"
          title="No such page"
          extra={
            <Button type="primary" onClick={() => navigate('/enis')}>
              Go to Elastic Network Interfaces
            </Button>
          }
        />
      );
  }
}

export function Shell() {
  const session = useSignedIn();
  const { path } = useLocation();
  const setup = useAsync(async () => {
    const [r, g] = await Promise.all([
      consoleApi<{ defaultRegionId: string; regions: RegionInfo[] }>('GET', 'regions'),
      consoleApi<{ resourceGroups: ResourceGroupInfo[] }>('GET', 'resource-groups'),
    ]);
    return { ...r, resourceGroups: g.resourceGroups };
  }, []);

  useEffect(() => {
    if (path === '/' || path === '') navigate('/enis', { replace: true });
  }, [path]);

  if (setup.error)
    return (
      <div style={{ padding: 24 }}>
        <ApiErrorAlert error={setup.error} title="Loading the regions failed" />
      </div>
    );
  if (!setup.data) return <Spin fullscreen tip="Loading" />;
  const section = path.startsWith('/enis') ? '/enis' : path;
  return (
    <ScopeProvider
      accountId={session.accountId}
      regions={setup.data.regions}
      defaultRegionId={setup.data.defaultRegionId}
      resourceGroups={setup.data.resourceGroups}
    >
      <Layout style={{ minHeight: '100vh' }}>
        <TopBar />
        <Layout>
          <Layout.Sider width={256} theme="light" breakpoint="lg" collapsedWidth={0} style={{ borderRight: '1px solid #eee' }}>
            <SideNav selected={section} />
          </Layout.Sider>
          <Layout.Content style={{ padding: 24, background: '#f5f6f7', minWidth: 0 }}>
            <Page path={path} />
          </Layout.Content>
        </Layout>
      </Layout>
    </ScopeProvider>
  );
}
