// The network list pages' frame (VPCs, vSwitches, security groups): a header
// with its Create button, the listing's error, the table (20 a page), an empty
// state that offers the same Create, and the create dialog, which reloads the
// list when it has created something.
import { useState, type ReactNode } from 'react';
import { Button, Card, Table } from 'antd';
import type { TableColumnsType as ColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { AsyncState } from '../hooks/use-async.ts';
import { useConfirmDelete } from '../hooks/use-delete.ts';
import { useScope } from '../state/scope.tsx';
import { ApiErrorAlert } from './api-error-alert.tsx';
import { PageHeader } from './page-header.tsx';
import { NextStepEmpty } from './next-step-empty.tsx';

export function NetworkListPage<T extends object>(props: {
  title: string;
  subtitle: string;
  /** the resources in lower case, plural: "Listing … failed", "No … in <region>" */
  plural: string;
  /** the Create button's label */
  create: string;
  list: AsyncState<T[]>;
  rowKey: keyof T & string;
  testId: string;
  columns: ColumnsType<T>;
  /** what the empty state says to do */
  emptyHint: ReactNode;
  dialog: (p: { onClose: () => void; onCreated: () => void }) => ReactNode;
}) {
  const { list } = props;
  const scope = useScope();
  const [creating, setCreating] = useState(false);
  return (
    <div>
      <PageHeader
        title={props.title}
        subtitle={props.subtitle}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {props.create}
          </Button>
        }
      />
      <ApiErrorAlert error={list.error} title={`Listing ${props.plural} failed`} />
      <Card>
        <Table<T>
          rowKey={props.rowKey}
          data-testid={props.testId}
          loading={list.loading && !list.data}
          dataSource={list.data ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={props.columns}
          locale={{
            emptyText: (
              <NextStepEmpty
                title={`No ${props.plural} in ${scope.regionId}`}
                action={
                  <Button type="primary" onClick={() => setCreating(true)}>
                    {props.create}
                  </Button>
                }
              >
                {props.emptyHint}
              </NextStepEmpty>
            ),
          }}
        />
      </Card>
      {creating && props.dialog({ onClose: () => setCreating(false), onCreated: () => void list.reload() })}
    </div>
  );
}

/** A row's Delete link: asks first, then deletes and reloads (the API's refusal shown with its Code). */
export function DeleteLink(props: { id: string; why: string; run: () => Promise<unknown>; after: () => void }) {
  const confirmDelete = useConfirmDelete();
  return (
    <Button
      type="link"
      size="small"
      danger
      onClick={() =>
        confirmDelete({ title: `Delete ${props.id}?`, content: props.why, run: props.run, after: props.after, done: `Deleted ${props.id}` })
      }
    >
      Delete
    </Button>
  );
}

/** The Created column: the resource's creation time in the browser's locale. */
export const createdColumn = { title: 'Created', dataIndex: 'CreationTime', render: (t: string) => new Date(t).toLocaleString() };
