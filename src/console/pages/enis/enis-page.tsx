// Elastic Network Interfaces: the list with search, filters and paging, and
// the row actions (Manage ENI IP Addresses, bind, unbind, move, delete).
import { useMemo, useState } from 'react';
import { App, Button, Card, Table } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { deleteEni, detachEni, vSwitchesByIds, type EniQuery } from '../../api/ecs.ts';
import type { EniWire, VSwitchWire } from '../../api/wire.ts';
import { useAsync } from '../../hooks/use-async.ts';
import { useScope } from '../../state/scope.tsx';
import { parseSearch, describeSearch } from '../../logic/search-query.ts';
import { ApiErrorAlert, errorParts } from '../../components/api-error-alert.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { NextStepEmpty } from '../../components/next-step-empty.tsx';
import { GettingStarted } from '../../components/getting-started.tsx';
import { ManageIpsDialog } from '../../dialogs/manage-ips/manage-ips-dialog.tsx';
import { BindEniDialog } from '../../dialogs/bind-eni-dialog.tsx';
import { MoveEniDialog } from '../../dialogs/move-eni-dialog.tsx';
import { CreateEniDialog } from '../../dialogs/create-eni-dialog.tsx';
import { EniFilters, type EniFilterValues } from './eni-filters.tsx';
import { eniColumns } from './eni-columns.tsx';
import { TokenPager } from './token-pager.tsx';
import { useEniList } from './use-eni-list.ts';
import { withPending } from '../../logic/optimistic.ts';
import { markTransition, usePendingTransitions } from '../../state/pending-transitions.ts';

type Dialog = { kind: 'manage' | 'bind' | 'move'; eni: EniWire } | { kind: 'create' } | undefined;

function toQuery(f: EniFilterValues): EniQuery {
  const s = parseSearch(f.search);
  return {
    status: f.status,
    type: f.type,
    vSwitchId: f.vSwitchId,
    instanceId: f.instanceId,
    ids: s.kind === 'id' ? s.ids : undefined,
    name: s.kind === 'name' ? s.name : undefined,
    privateIp: s.kind === 'ipv4' ? s.address : undefined,
    ipv6: s.kind === 'ipv6' ? s.address : undefined,
    tag: s.kind === 'tag' ? { key: s.key, value: s.value } : undefined,
  };
}

export function EnisPage() {
  const scope = useScope();
  const { modal, message } = App.useApp();
  const [filters, setFilters] = useState<EniFilterValues>({ search: '' });
  const [dialog, setDialog] = useState<Dialog>();
  const [actionError, setActionError] = useState<unknown>();
  const query = useMemo(() => toQuery(filters), [filters]);
  const list = useEniList(query);
  // Names and CIDR blocks of the vSwitches this page shows, one batched request (cached), not every vSwitch.
  const pageVSwitchIds = useMemo(
    () => [...new Set((list.data?.NetworkInterfaceSets.NetworkInterfaceSet ?? []).map((e) => e.VSwitchId))].sort(),
    [list.data],
  );
  const vsws = useAsync(() => vSwitchesByIds(scope.regionId, pageVSwitchIds), [scope.regionId, pageVSwitchIds.join()]);
  const vSwitchById = vsws.data ?? new Map<string, VSwitchWire>();
  const filtered = filters.search.trim() !== '' || !!filters.status || !!filters.type || !!filters.vSwitchId || !!filters.instanceId;
  const pending = usePendingTransitions();
  const rows = useMemo(
    () => withPending(list.data?.NetworkInterfaceSets.NetworkInterfaceSet ?? [], list.dataAt, pending),
    [list.data, list.dataAt, pending],
  );

  const columns = eniColumns(vSwitchById, {
    manage: (eni) => setDialog({ kind: 'manage', eni }),
    bind: (eni) => setDialog({ kind: 'bind', eni }),
    move: (eni) => setDialog({ kind: 'move', eni }),
    unbind: async (eni) => {
      setActionError(undefined);
      try {
        await detachEni(scope.regionId, eni.NetworkInterfaceId, eni.InstanceId);
        markTransition(eni, 'Detaching', eni.InstanceId);
        message.info(`Unbinding ${eni.NetworkInterfaceId} from ${eni.InstanceId}`);
      } catch (e) {
        setActionError(e);
      }
      await list.reload();
    },
    remove: (eni) => {
      modal.confirm({
        title: `Delete ${eni.NetworkInterfaceId}?`,
        content: `The ENI and its ${eni.PrivateIpSets.PrivateIpSet.length + eni.Ipv6Sets.Ipv6Set.length} address(es) are released. This cannot be undone.`,
        okText: 'Delete',
        okButtonProps: { danger: true },
        onOk: async () => {
          try {
            await deleteEni(scope.regionId, eni.NetworkInterfaceId);
            message.success(`Deleting ${eni.NetworkInterfaceId}`);
          } catch (e) {
            const { code, message: m } = errorParts(e);
            modal.error({ title: code, content: m });
          }
          await list.reload();
        },
      });
    },
  });

  const empty = !list.loading && rows.length === 0;
  return (
    <div>
      <PageHeader
        title="Elastic Network Interfaces"
        subtitle={`ENIs in ${scope.regionLabel} (${scope.regionId})${scope.resourceGroupId ? ', this resource group' : ''}. Secondary private IPv4 and IPv6 addresses are managed per ENI.`}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ kind: 'create' })}>
            Create ENI
          </Button>
        }
      />
      <ApiErrorAlert error={actionError} title="The action was refused" onClose={() => setActionError(undefined)} />
      <ApiErrorAlert error={list.error} title="Listing ENIs failed" />
      {empty && !filtered && !list.error && list.data?.TotalCount === 0 ? (
        <GettingStarted onCreateEni={() => setDialog({ kind: 'create' })} />
      ) : (
        <Card>
          <EniFilters value={filters} onChange={setFilters} onRefresh={() => void list.reload()} loading={list.loading} />
          <Table<EniWire>
            rowKey="NetworkInterfaceId"
            size="middle"
            columns={columns}
            dataSource={rows}
            loading={list.loading && !list.data}
            pagination={false}
            scroll={{ x: 1395 }}
            data-testid="eni-table"
            locale={{
              emptyText: (
                <NextStepEmpty
                  title={filtered ? `No ENI matches ${describeSearch(parseSearch(filters.search)) || 'these filters'}` : 'No ENIs'}
                >
                  {filtered
                    ? 'Search is exact: a whole ENI ID, name or address. Clear the filters to see every ENI.'
                    : 'Create one with Create ENI.'}
                </NextStepEmpty>
              ),
            }}
          />
          <TokenPager
            page={list.page}
            pageSize={list.pageSize}
            total={list.data?.TotalCount ?? 0}
            hasNext={!!list.data?.NextToken}
            loading={list.loading}
            onPrev={list.prev}
            onNext={list.next}
            onPageSize={list.setPageSize}
          />
        </Card>
      )}
      {dialog?.kind === 'manage' && (
        <ManageIpsDialog eniId={dialog.eni.NetworkInterfaceId} onClose={() => setDialog(undefined)} onChanged={() => void list.reload()} />
      )}
      {dialog?.kind === 'bind' && <BindEniDialog eni={dialog.eni} onClose={() => setDialog(undefined)} onDone={() => void list.reload()} />}
      {dialog?.kind === 'move' && (
        <MoveEniDialog
          eni={dialog.eni}
          onClose={() => {
            setDialog(undefined);
            void list.reload();
          }}
          onProgress={() => void list.reload()}
        />
      )}
      {dialog?.kind === 'create' && <CreateEniDialog onClose={() => setDialog(undefined)} onCreated={() => void list.reload()} />}
    </div>
  );
}
