// An API refusal as the API sent it: Code, Message and RequestId.
import { Alert, Typography } from 'antd';
import { ApiError } from '../api/rpc.ts';

export function errorParts(e: unknown): { code: string; message: string; requestId?: string } {
  if (e instanceof ApiError) return { code: e.code, message: e.message, requestId: e.requestId };
  const x = e as { code?: string; message?: string; requestId?: string };
  return { code: x?.code ?? 'Error', message: x?.message ?? String(e), requestId: x?.requestId };
}

export function ApiErrorAlert({ error, title, onClose }: { error: unknown; title?: string; onClose?: () => void }) {
  if (!error) return null;
  const { code, message, requestId } = errorParts(error);
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      data-testid="api-error"
      title={title ? `${title}: ${code}` : code}
      description={
        <>
          <div data-testid="api-error-message">{message}</div>
          {requestId && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              RequestId {requestId}
            </Typography.Text>
          )}
        </>
      }
      closable={onClose ? { onClose } : undefined}
      style={{ marginBottom: 16 }}
    />
  );
}
