// ENI details: everything about one ENI (addresses, security groups, MAC,
// binding), the limits that apply to it now, and the OS configuration.
import { useState } from 'react';
import { App, Breadcrumb, Button, Result, Skeleton, Tabs } from 'antd';
import { deleteEni, detachEni } from '../../api/ecs.ts';
import { ApiError } from '../../api/rpc.ts';
import { useScope } from '../../state/scope.tsx';
import { Link, navigate, useLocation } from '../../router.tsx';
import { ApiErrorAlert, errorParts } from '../../components/api-error-alert.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { StatusTag } from '../../components/status-tag.tsx';
import { useEniContext } from '../../dialogs/manage-ips/use-eni-context.ts';
import { ManageIpsDialog } from '../../dialogs/manage-ips/manage-ips-dialog.tsx';
import { BindEniDialog } from '../../dialogs/bind-eni-dialog.tsx';
import { MoveEniDialog } from '../../dialogs/move-eni-dialog.tsx';
import { ModifyEniDialog } from '../../dialogs/modify-eni-dialog.tsx';
import { EniOverview } from './eni-overview.tsx';
import { EniAddresses } from './eni-addresses.tsx';
import { EniLimits } from './eni-limits.tsx';
import { EniTags } from './eni-tags.tsx';
import { OsConfigTab } from './os-config-tab.tsx';
import { withPending } from '../../logic/optimistic.ts';
import { eniBindable } from '../../logic/attach-eligibility.ts';
import { markTransition, usePendingTransitions } from '../../state/pending-transitions.ts';

export function EniDetailsPage({ eniId }: { eniId: string }) {
  const scope = useScope();
  const { query } = useLocation();
  const { modal, message } = App.useApp();
  const ctx = useEniContext(scope.regionId, eniId);
  const pending = usePendingTransitions();
  const [dialog, setDialog] = useState<'manage' | 'bind' | 'move' | 'modify'>();
  const [actionError, setActionError] = useState<unknown>();
  const tab = query.get('tab') ?? 'details';

  if (ctx.error instanceof ApiError && ctx.error.code === 'InvalidEniId.NotFound') {
    return (
      <Result
        status="404"
        title={`${eniId} does not exist in ${scope.regionId}`}
        subTitle="It may have been deleted, or it is in another region (check the region selector)."
        extra={
          <Button type="primary" onClick={() => navigate('/enis')}>
            Back to Elastic Network Interfaces
          </Button>
        }
      />
    );
  }
  const c = ctx.data ? { ...ctx.data, eni: withPending([ctx.data.eni], ctx.dataAt, pending)[0] } : undefined;
  const eni = c?.eni;
  const secondary = eni !== undefined && eni.Type !== 'Primary'; // Trunk and Member ENIs bind, unbind and delete like Secondary ones

  const unbind = () => {
    if (!eni) return;
    modal.confirm({
      title: `Unbind ${eni.NetworkInterfaceId} from ${eni.InstanceId}?`,
      content: 'Traffic to its addresses stops reaching the instance.',
      okText: 'Unbind',
      onOk: async () => {
        try {
          await detachEni(scope.regionId, eni.NetworkInterfaceId, eni.InstanceId);
          markTransition(eni, 'Detaching', eni.InstanceId);
        } catch (e) {
          setActionError(e);
        }
        await ctx.reload();
      },
    });
  };
  const remove = () => {
    if (!eni) return;
    modal.confirm({
      title: `Delete ${eni.NetworkInterfaceId}?`,
      content: 'The ENI and its addresses are released. This cannot be undone.',
      okText: 'Delete',
      okButtonProps: { danger: true },
      onOk: async () => {
        try {
          await deleteEni(scope.regionId, eni.NetworkInterfaceId);
          message.success(`Deleting ${eni.NetworkInterfaceId}`);
          navigate('/enis');
        } catch (e) {
          const { code, message: m } = errorParts(e);
          modal.error({ title: code, content: m });
        }
      },
    });
  };

  return (
    <div>
      <Breadcrumb style={{ marginBottom: 8 }} items={[{ title: <Link to="/enis">Elastic Network Interfaces</Link> }, { title: eniId }]} />
      <PageHeader
        title={
          <span data-testid="eni-title">
            {eniId} {eni && <StatusTag status={eni.Status} />}
          </span>
        }
        subtitle={eni ? `${eni.NetworkInterfaceName || 'unnamed'} · ${eni.Type} ENI · ${eni.ZoneId}` : undefined}
        extra={
          eni && (
            <>
              <Button type="primary" onClick={() => setDialog('manage')}>
                Manage ENI IP Addresses
              </Button>
              <Button onClick={() => setDialog('modify')} disabled={eni.Status === 'Deleting'}>
                Modify
              </Button>
              {eniBindable(eni) && <Button onClick={() => setDialog('bind')}>Bind to Instance</Button>}
              {secondary && eni.Status === 'InUse' && <Button onClick={unbind}>Unbind</Button>}
              {secondary && eni.Status === 'InUse' && <Button onClick={() => setDialog('move')}>Move to another instance</Button>}
              {secondary && (
                <Button danger disabled={eni.Status !== 'Available'} onClick={remove}>
                  Delete
                </Button>
              )}
            </>
          )
        }
      />
      <ApiErrorAlert error={actionError} title="The action was refused" onClose={() => setActionError(undefined)} />
      <ApiErrorAlert error={ctx.error} title="Loading the ENI failed" />
      {!c && !ctx.error && <Skeleton active />}
      {c && (
        <Tabs
          activeKey={tab}
          onChange={(k) => navigate(`/enis/${eniId}${k === 'details' ? '' : `?tab=${k}`}`, { replace: true })}
          items={[
            {
              key: 'details',
              label: 'Details',
              children: (
                <>
                  <EniOverview ctx={c} />
                  <EniAddresses ctx={c} onManage={() => setDialog('manage')} />
                  <EniTags regionId={scope.regionId} eni={c.eni} onChanged={() => void ctx.reload()} />
                  <EniLimits ctx={c} />
                </>
              ),
            },
            { key: 'os', label: 'Configure the OS', children: <OsConfigTab ctx={c} /> },
          ]}
        />
      )}
      {dialog === 'manage' && <ManageIpsDialog eniId={eniId} onClose={() => setDialog(undefined)} onChanged={() => void ctx.reload()} />}
      {dialog === 'modify' && eni && <ModifyEniDialog eni={eni} onClose={() => setDialog(undefined)} onDone={() => void ctx.reload()} />}
      {dialog === 'bind' && eni && <BindEniDialog eni={eni} onClose={() => setDialog(undefined)} onDone={() => void ctx.reload()} />}
      {dialog === 'move' && eni && (
        <MoveEniDialog
          eni={eni}
          onClose={() => {
            setDialog(undefined);
            void ctx.reload();
          }}
          onProgress={() => void ctx.reload()}
        />
      )}
    </div>
  );
}
