// Instances: status, their ENIs (expand a row for the live list), start/stop,
// bind and unbind secondary ENIs — the seed's failover flow: unbind from the
// failed instance, bind to the standby (or Move, which does both).
import { useState } from 'react';
import { App, Button, Card, Table } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { deleteInstance, describeInstances, startInstance, stopInstance } from '../../api/ecs.ts';
import type { EniWire, InstanceWire } from '../../api/wire.ts';
import { useAsync } from '../../hooks/use-async.ts';
import { useScope } from '../../state/scope.tsx';
import { ApiErrorAlert, errorParts } from '../../components/api-error-alert.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { NextStepEmpty } from '../../components/next-step-empty.tsx';
import { TRANSITIONAL } from '../../components/status-tag.tsx';
import { AttachToInstanceDialog } from '../../dialogs/attach-to-instance-dialog.tsx';
import { CreateInstanceDialog } from '../../dialogs/create-instance-dialog.tsx';
import { MoveEniDialog } from '../../dialogs/move-eni-dialog.tsx';
import { instanceColumns } from './instance-columns.tsx';
import { InstanceEnis } from './instance-enis.tsx';

type Dialog = { kind: 'bind'; instance: InstanceWire } | { kind: 'move'; eni: EniWire } | { kind: 'create' } | undefined;

export function InstancesPage() {
  const scope = useScope();
  const { modal, message } = App.useApp();
  const [page, setPage] = useState({ n: 1, size: 20 });
  const [expanded, setExpanded] = useState<string[]>([]);
  const [dialog, setDialog] = useState<Dialog>();
  const [actionError, setActionError] = useState<unknown>();
  const [refreshKey, setRefreshKey] = useState(0);
  const list = useAsync(
    () => describeInstances(scope, { pageNumber: page.n, pageSize: page.size }),
    [scope.regionId, scope.resourceGroupId, page.n, page.size],
    { pollMs: (d) => (d.Instances.Instance.some((i) => TRANSITIONAL.has(i.Status)) ? 400 : 15_000) },
  );
  const refresh = () => {
    setRefreshKey((k) => k + 1);
    void list.reload();
  };
  const act = (f: (i: InstanceWire) => Promise<unknown>, verb: string) => async (i: InstanceWire) => {
    setActionError(undefined);
    try {
      await f(i);
      message.info(`${verb} ${i.InstanceId}`);
    } catch (e) {
      setActionError(e);
    }
    await list.reload();
  };
  const columns = instanceColumns({
    start: act((i) => startInstance(scope.regionId, i.InstanceId), 'Starting'),
    stop: act((i) => stopInstance(scope.regionId, i.InstanceId), 'Stopping'),
    bind: (i) => setDialog({ kind: 'bind', instance: i }),
    remove: (i) =>
      modal.confirm({
        title: `Delete ${i.InstanceId}?`,
        content: 'Its primary ENI is deleted with it; secondary ENIs are unbound (or deleted, if they were created to be).',
        okText: 'Delete',
        okButtonProps: { danger: true },
        onOk: async () => {
          try {
            await deleteInstance(scope.regionId, i.InstanceId);
          } catch (e) {
            const p = errorParts(e);
            modal.error({ title: p.code, content: p.message });
          }
          await list.reload();
        },
      }),
  });
  const rows = list.data?.Instances.Instance ?? [];
  return (
    <div>
      <PageHeader
        title="Instances"
        subtitle={`Instances in ${scope.regionLabel} (${scope.regionId}). Expand a row to see its ENIs live, unbind one, or move it to a standby.`}
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={refresh} aria-label="Refresh" />
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ kind: 'create' })}>
              Create Instance
            </Button>
          </>
        }
      />
      <ApiErrorAlert error={actionError} title="The action was refused" onClose={() => setActionError(undefined)} />
      <ApiErrorAlert error={list.error} title="Listing instances failed" />
      <Card>
        <Table<InstanceWire>
          rowKey="InstanceId"
          size="middle"
          data-testid="instance-table"
          columns={columns}
          dataSource={rows}
          loading={list.loading && !list.data}
          scroll={{ x: 1300 }}
          expandable={{
            expandedRowKeys: expanded,
            onExpandedRowsChange: (keys) => setExpanded(keys as string[]),
            expandedRowRender: (i) => (
              <InstanceEnis
                instance={i}
                refreshKey={refreshKey}
                onBind={() => setDialog({ kind: 'bind', instance: i })}
                onMove={(eni) => setDialog({ kind: 'move', eni })}
                onChanged={() => void list.reload()}
              />
            ),
          }}
          pagination={{
            current: page.n,
            pageSize: page.size,
            total: list.data?.TotalCount ?? 0,
            showSizeChanger: true,
            showTotal: (t) => `${t} instances`,
            onChange: (n, size) => setPage({ n, size }),
          }}
          locale={{
            emptyText: (
              <NextStepEmpty
                title="No instances in this region"
                action={
                  <Button type="primary" onClick={() => setDialog({ kind: 'create' })}>
                    Create Instance
                  </Button>
                }
              >
                An instance needs a vSwitch and a security group. It comes with its primary ENI; bind secondary ENIs to it for more
                addresses or for failover.
              </NextStepEmpty>
            ),
          }}
        />
      </Card>
      {dialog?.kind === 'bind' && (
        <AttachToInstanceDialog
          instance={dialog.instance}
          onClose={() => setDialog(undefined)}
          onDone={() => {
            setExpanded((e) => [...new Set([...e, dialog.instance.InstanceId])]);
            refresh();
          }}
        />
      )}
      {dialog?.kind === 'move' && (
        <MoveEniDialog
          eni={dialog.eni}
          onClose={() => {
            setDialog(undefined);
            refresh();
          }}
          onProgress={() => setRefreshKey((k) => k + 1)}
        />
      )}
      {dialog?.kind === 'create' && <CreateInstanceDialog onClose={() => setDialog(undefined)} onCreated={() => void list.reload()} />}
    </div>
  );
}
