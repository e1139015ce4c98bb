// Resource status as a coloured tag; transitional states spin.
import { Tag } from 'antd';
import { SyncOutlined } from '@ant-design/icons';

const COLORS: Record<string, string> = {
  Available: 'blue',
  InUse: 'green',
  Running: 'green',
  Stopped: 'default',
  Attaching: 'processing',
  Detaching: 'processing',
  Deleting: 'warning',
  Pending: 'processing',
  Starting: 'processing',
  Stopping: 'processing',
};

export const TRANSITIONAL = new Set(['Attaching', 'Detaching', 'Deleting', 'Pending', 'Starting', 'Stopping']);

export function StatusTag({ status }: { status: string }) {
  const busy = TRANSITIONAL.has(status);
  return (
    <Tag color={COLORS[status] ?? 'default'} icon={busy ? <SyncOutlined spin /> : undefined} data-status={status}>
      {status}
    </Tag>
  );
}
