// "Configure the OS": the seed's last step. The server renders the guest
// configuration for this ENI (src/osconfig) for the chosen OS: the files to
// write, the commands to run, and how to verify.
import { useState } from 'react';
import { Alert, Button, Card, Flex, Select, Skeleton, Typography } from 'antd';
import { CopyOutlined } from '@ant-design/icons';
import { shellScript } from '../../logic/os-script.ts';
import { consoleApi } from '../../api/rpc.ts';
import type { OsConfigAnswer, OsEntryInfo } from '../../api/wire.ts';
import { useAsync } from '../../hooks/use-async.ts';
import { useScope } from '../../state/scope.tsx';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';
import type { EniContext } from '../../dialogs/manage-ips/use-eni-context.ts';

const FAMILY_LABEL: Record<string, string> = {
  networkmanager: 'NetworkManager (any distribution)',
  rhel: 'RHEL series',
  ubuntu: 'Ubuntu',
  debian: 'Debian',
  sles: 'SLES series',
  windows: 'Windows',
};

const pre = {
  background: '#1f1f1f',
  color: '#f0f0f0',
  padding: 12,
  borderRadius: 4,
  overflowX: 'auto' as const,
  fontSize: 12.5,
  margin: 0,
  whiteSpace: 'pre-wrap' as const,
  wordBreak: 'break-all' as const,
  paddingRight: 36,
};

function Code({ text }: { text: string }) {
  return (
    <div style={{ position: 'relative' }}>
      <pre style={pre}>{text}</pre>
      <Typography.Text copyable={{ text, tooltips: ['Copy', 'Copied'] }} style={{ position: 'absolute', top: 6, right: 8 }} />
    </div>
  );
}

export function OsConfigTab({ ctx }: { ctx: EniContext }) {
  const scope = useScope();
  const [osId, setOsId] = useState('nmcli');
  const catalog = useAsync(() => consoleApi<{ os: OsEntryInfo[] }>('GET', 'os'), []);
  const addrKey = JSON.stringify([ctx.eni.PrivateIpSets, ctx.eni.Ipv6Sets, ctx.eni.Attachment?.DeviceIndex]);
  const answer = useAsync(
    () =>
      consoleApi<OsConfigAnswer>(
        'GET',
        `eni/${encodeURIComponent(ctx.eni.NetworkInterfaceId)}/os-config?os=${encodeURIComponent(osId)}&regionId=${encodeURIComponent(scope.regionId)}`,
      ),
    [osId, addrKey, scope.regionId],
  );
  const groups = new Map<string, OsEntryInfo[]>();
  for (const o of catalog.data?.os ?? []) groups.set(o.family, [...(groups.get(o.family) ?? []), o]);
  const r = answer.data?.rendering;
  const prepare = r?.commands.filter((c) => c.stage === 'prepare') ?? [];
  const apply = r?.commands.filter((c) => c.stage === 'apply') ?? [];
  const script = r
    ? shellScript(r, `eniplane: configure ${ctx.eni.NetworkInterfaceId} (${answer.data?.facts.interfaceName}) for ${r.osId}`)
    : undefined;
  const [copied, setCopied] = useState(false);
  return (
    <div data-testid="os-config">
      <Typography.Paragraph>
        The operating system does not pick up secondary private IP addresses by itself. Choose the instance&apos;s OS to get the
        configuration for this ENI{ctx.eni.InstanceId ? ` on ${ctx.eni.InstanceId}` : ''}.
      </Typography.Paragraph>
      <Flex gap={8} align="center" style={{ marginBottom: 16 }}>
        <label htmlFor="os-select">Operating system</label>
        <Select
          id="os-select"
          style={{ width: 440 }}
          value={osId}
          onChange={(v: string) => {
            setOsId(v);
            setCopied(false);
          }}
          loading={catalog.loading}
          showSearch={{ optionFilterProp: 'label' }}
          aria-label="Operating system"
          options={[...groups.entries()].map(([family, list]) => ({
            label: FAMILY_LABEL[family] ?? family,
            options: list.map((o) => ({ value: o.id, label: o.name })),
          }))}
        />
        {script && (
          <Button
            icon={<CopyOutlined />}
            onClick={() => {
              void navigator.clipboard?.writeText(script).then(() => setCopied(true));
            }}
          >
            {copied ? 'Copied' : 'Copy all as one script'}
          </Button>
        )}
      </Flex>
      <ApiErrorAlert error={catalog.error ?? answer.error} title="Rendering failed" />
      {!answer.data && !answer.error && <Skeleton active />}
      {answer.data && r && (
        <>
          {answer.data.assumptions.map((a) => (
            <Alert key={a} type="info" showIcon title={a} style={{ marginBottom: 12 }} />
          ))}
          {r.warnings.map((w) => (
            <Alert key={w} type="warning" showIcon title={w} style={{ marginBottom: 12 }} />
          ))}
          {prepare.length > 0 && (
            <Card size="small" title="1. Before writing the files" style={{ marginBottom: 12 }}>
              {prepare.map((c) => (
                <div key={c.run} style={{ marginBottom: 8 }}>
                  <Typography.Text type="secondary">{c.why}</Typography.Text>
                  <Code text={c.run} />
                </div>
              ))}
            </Card>
          )}
          {r.files.map((f, i) => (
            <Card
              key={f.path}
              size="small"
              style={{ marginBottom: 12 }}
              title={
                <span>
                  {prepare.length ? 2 : 1}.{i + 1} <Typography.Text code>{f.path}</Typography.Text>
                  {f.mode !== undefined ? ` (mode ${f.mode.toString(8)})` : ''}
                </span>
              }
            >
              <Typography.Paragraph type="secondary">{f.description}</Typography.Paragraph>
              <Code text={f.content} />
            </Card>
          ))}
          {apply.length > 0 && (
            <Card size="small" title="Apply" style={{ marginBottom: 12 }}>
              {apply.map((c) => (
                <div key={c.run} style={{ marginBottom: 8 }}>
                  <Typography.Text type="secondary">{c.why}</Typography.Text>
                  <Code text={c.run} />
                </div>
              ))}
            </Card>
          )}
          {r.verify.length > 0 && (
            <Card size="small" title="Verify">
              <Code text={r.verify.join('\n')} />
            </Card>
          )}
        </>
      )}
    </div>
  );
}
