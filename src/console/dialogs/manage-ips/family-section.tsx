// One address family in the Manage ENI IP Addresses dialog: the assigned
// addresses (each with a delete icon that marks it for unassignment), the rows
// added with Increase (Auto-assign or Enter manually), and the quota.
import { Button, Flex, Input, Radio, Tag, Tooltip, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined, UndoOutlined, CloseOutlined } from '@ant-design/icons';
import type { FamilyCheck, FamilyState, IpRow } from '../../logic/ip-rows.ts';
import { examplePlaceholder } from '../../logic/ip-rows.ts';

export interface FamilySectionProps {
  title: string;
  state: FamilyState;
  rows: IpRow[];
  check: FamilyCheck;
  disabled: boolean;
  /** why the family cannot take addresses at all (e.g. no IPv6 block on the vSwitch) */
  unavailable?: string;
  quotaNote: string;
  onRows(rows: IpRow[]): void;
  onToggleRemove(address: string): void;
  newKey(): string;
}

const mono = { fontFamily: 'ui-monospace, monospace' };

export function FamilySection(p: FamilySectionProps) {
  const { state, rows, check } = p;
  const fam = state.family === 4 ? 'IPv4' : 'IPv6';
  const removing = new Set(state.removing);
  const secondaries = state.assigned.filter((a) => a !== state.primary);
  const setRow = (key: string, patch: Partial<IpRow>) => p.onRows(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const over = check.left < 0;
  return (
    <section aria-label={p.title} data-testid={`family-${state.family}`} style={{ marginBottom: 20 }}>
      <Flex justify="space-between" align="baseline">
        <Typography.Title level={5} style={{ margin: '0 0 4px' }}>
          {p.title}
        </Typography.Title>
        <Typography.Text type={over ? 'danger' : 'secondary'} data-testid={`quota-${state.family}`}>
          {check.total} of {state.quota.max} after Confirm · {Math.max(0, check.left)} more can be added
        </Typography.Text>
      </Flex>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
        {p.quotaNote}
        {state.cidr ? ` CIDR block: ${state.cidr}.` : ''}
      </Typography.Paragraph>
      {p.unavailable ? <Typography.Paragraph type="warning">{p.unavailable}</Typography.Paragraph> : null}
      <ul style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label={`Assigned ${fam} addresses`}>
        {state.primary && (
          <li style={{ padding: '4px 0' }}>
            <span style={mono}>{state.primary}</span> <Tag>Primary</Tag>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              cannot be unassigned
            </Typography.Text>
          </li>
        )}
        {secondaries.map((a) => (
          <li key={a} style={{ padding: '2px 0' }} data-testid={`assigned-${a}`}>
            <Flex align="center" gap={8}>
              <span
                style={{
                  ...mono,
                  textDecoration: removing.has(a) ? 'line-through' : undefined,
                  color: removing.has(a) ? '#999' : undefined,
                }}
              >
                {a}
              </span>
              {removing.has(a) ? (
                <>
                  <Tag color="red">will be unassigned</Tag>
                  <Button
                    size="small"
                    type="text"
                    icon={<UndoOutlined />}
                    onClick={() => p.onToggleRemove(a)}
                    aria-label={`Keep ${a}`}
                    disabled={p.disabled}
                  >
                    Keep
                  </Button>
                </>
              ) : (
                <Tooltip title="Unassign on Confirm">
                  <Button
                    size="small"
                    type="text"
                    danger
                    icon={<DeleteOutlined />}
                    onClick={() => p.onToggleRemove(a)}
                    aria-label={`Unassign ${a}`}
                    disabled={p.disabled}
                  />
                </Tooltip>
              )}
            </Flex>
          </li>
        ))}
        {secondaries.length === 0 && !state.primary && rows.length === 0 && (
          <li>
            <Typography.Text type="secondary">No {fam} addresses assigned.</Typography.Text>
          </li>
        )}
      </ul>
      {rows.map((r, i) => {
        const found = check.issues[r.key];
        return (
          <div
            key={r.key}
            data-testid={`new-${state.family}-${i}`}
            style={{ margin: '8px 0', padding: 8, background: '#fafafa', borderRadius: 4 }}
          >
            <Flex align="center" gap={8} wrap>
              <Radio.Group
                aria-label={`New ${fam} address ${i + 1}: how to assign`}
                value={r.mode}
                onChange={(e) => setRow(r.key, { mode: e.target.value as IpRow['mode'] })}
                disabled={p.disabled}
                options={[
                  { value: 'auto', label: 'Auto-assign' },
                  { value: 'manual', label: 'Enter manually' },
                ]}
              />
              {r.mode === 'manual' && (
                <Input
                  aria-label={`New ${fam} address ${i + 1}`}
                  style={{ width: state.family === 4 ? 180 : 320, ...mono }}
                  value={r.address}
                  placeholder={examplePlaceholder(state.family, state.cidr)}
                  status={found ? (found.blocking ? 'warning' : 'error') : undefined}
                  onChange={(e) => setRow(r.key, { address: e.target.value })}
                  disabled={p.disabled}
                  autoFocus={r.address === ''}
                  spellCheck={false}
                />
              )}
              {r.mode === 'auto' && <Typography.Text type="secondary">a random free address of the {fam} CIDR block</Typography.Text>}
              <Tooltip title="Remove this row">
                <Button
                  size="small"
                  type="text"
                  icon={<CloseOutlined />}
                  aria-label={`Remove new ${fam} row ${i + 1}`}
                  onClick={() => p.onRows(rows.filter((x) => x.key !== r.key))}
                  disabled={p.disabled}
                />
              </Tooltip>
            </Flex>
            {found && (
              <div
                role="status"
                data-testid={`issue-${state.family}-${i}`}
                style={{ marginTop: 4, fontSize: 12, color: found.blocking ? '#d48806' : '#cf1322' }}
              >
                {found.blocking ? (
                  found.message
                ) : (
                  <>
                    <b>{found.code}</b>: {found.message}
                    {found.hint ? <span style={{ color: 'rgba(0,0,0,.55)' }}> — {found.hint}</span> : null}
                  </>
                )}
              </div>
            )}
          </div>
        );
      })}
      <Button
        icon={<PlusOutlined />}
        onClick={() => p.onRows([...rows, { key: p.newKey(), mode: 'auto', address: '' }])}
        disabled={p.disabled || !!p.unavailable}
        data-testid={`increase-${state.family}`}
        style={{ marginTop: 4 }}
      >
        Increase
      </Button>
    </section>
  );
}
