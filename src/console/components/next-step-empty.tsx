// An empty list that says what to do next.
import { Empty, Typography } from 'antd';
import type { ReactNode } from 'react';

export function NextStepEmpty({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={
        <div style={{ maxWidth: 520, margin: '0 auto' }}>
          <Typography.Text strong>{title}</Typography.Text>
          {children && (
            <div style={{ marginTop: 4 }}>
              <Typography.Text type="secondary">{children}</Typography.Text>
            </div>
          )}
        </div>
      }
    >
      {action}
    </Empty>
  );
}
