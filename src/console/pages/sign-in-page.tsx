// Signing in with an AccessKey pair (the console has no other identities).
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useSession } from '../state/session.tsx';
import { ApiErrorAlert } from '../components/api-error-alert.tsx';
import { useSubmit } from '../hooks/use-submit.ts';

export function SignInPage() {
  const { signIn, endedReason } = useSession();

  const {
    busy,
    error,
    run: submit,
  } = useSubmit(async (v: { accessKeyId: string; accessKeySecret: string }) => {
    await signIn(v.accessKeyId, v.accessKeySecret);
  });

  return (
    <main style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f5f6f7' }}>
      <Card
        style={{ width: 420 }}
        title={
          <span>
            <b style={{ color: '#ff6a00' }}>eniplane</b> console
          </span>
        }
      >
        <Typography.Paragraph type="secondary">
          Sign in with an AccessKey pair. The root pair is in <code>credentials.json</code> in the server&apos;s data directory; other
          accounts get theirs from <code>eniplane accounts create</code>.
        </Typography.Paragraph>
        {endedReason && !error && <Alert type="info" showIcon title={endedReason} style={{ marginBottom: 16 }} />}
        <ApiErrorAlert error={error} title="Sign-in refused" />
        <Form layout="vertical" onFinish={submit} requiredMark={false} disabled={busy}>
          <Form.Item
            label="AccessKey ID"
            name="accessKeyId"
            rules={[{ required: true, whitespace: true, message: 'Enter the AccessKey ID' }]}
          >
            <Input autoComplete="username" autoFocus spellCheck={false} placeholder="LTAI..." />
          </Form.Item>
          <Form.Item
            label="AccessKey Secret"
            name="accessKeySecret"
            rules={[{ required: true, whitespace: true, message: 'Enter the AccessKey Secret' }]}
          >
            <Input.Password autoComplete="current-password" spellCheck={false} />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            Sign in
          </Button>
        </Form>
      </Card>
    </main>
  );
}
