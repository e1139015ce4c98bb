// IP prefixes of one family in the Manage ENI IP Addresses dialog: the held
// prefixes (each with a delete icon that marks it for Unassign), a count to
// assign (Ipv4PrefixCount / Ipv6PrefixCount) and named prefixes (Ipv4Prefix.N),
// with the checks of logic/ip-prefixes.ts shown as you type.
import { Button, Flex, Input, InputNumber, Tag, Tooltip, Typography } from 'antd';
import { DeleteOutlined, UndoOutlined } from '@ant-design/icons';
import { MAX_PREFIXES_PER_REQUEST } from '../../../domain/limits.ts';
import { prefixExample, type PrefixChange, type PrefixCheck } from '../../logic/ip-prefixes.ts';

const mono = { fontFamily: 'ui-monospace, monospace' };

export function PrefixSection(p: {
  change: PrefixChange;
  check: PrefixCheck;
  held: string[];
  disabled: boolean;
  unavailable?: string;
  onChange(c: PrefixChange): void;
}) {
  const { change, check, held } = p;
  const fam = change.family === 4 ? 'IPv4' : 'IPv6';
  const size = change.family === 4 ? '/28 (16 addresses)' : '/80';
  const toggle = (prefix: string) =>
    p.onChange({
      ...change,
      removing: change.removing.includes(prefix) ? change.removing.filter((x) => x !== prefix) : [...change.removing, prefix],
    });
  return (
    <section aria-label={`${fam} prefixes`} data-testid={`prefixes-${change.family}`} style={{ marginBottom: 20 }}>
      <Typography.Title level={5} style={{ margin: '0 0 4px' }}>
        {fam} Prefixes{' '}
        <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
          aligned {size} blocks of the vSwitch, each counting as one address
        </Typography.Text>
      </Typography.Title>
      {p.unavailable ? (
        <Typography.Text type="secondary">{p.unavailable}</Typography.Text>
      ) : (
        <>
          <Flex wrap gap={6} style={{ marginBottom: 8 }} data-testid={`held-prefixes-${change.family}`}>
            {held.length === 0 && <Typography.Text type="secondary">No {fam} prefixes.</Typography.Text>}
            {held.map((prefix) => {
              const removing = change.removing.includes(prefix);
              return (
                <Tag
                  key={prefix}
                  color={removing ? 'red' : undefined}
                  style={{ ...mono, textDecoration: removing ? 'line-through' : undefined }}
                >
                  {prefix}{' '}
                  <Tooltip title={removing ? 'Keep it' : 'Unassign it on Confirm'}>
                    <Button
                      type="text"
                      size="small"
                      aria-label={`${removing ? 'Keep' : 'Unassign'} prefix ${prefix}`}
                      icon={removing ? <UndoOutlined /> : <DeleteOutlined />}
                      disabled={p.disabled}
                      onClick={() => toggle(prefix)}
                    />
                  </Tooltip>
                </Tag>
              );
            })}
          </Flex>
          <Flex gap={8} align="center">
            <span>Assign</span>
            <InputNumber
              aria-label={`New ${fam} prefix count`}
              min={0}
              max={MAX_PREFIXES_PER_REQUEST}
              value={change.count}
              disabled={p.disabled}
              onChange={(v) => p.onChange({ ...change, count: typeof v === 'number' ? v : 0 })}
              style={{ width: 80 }}
            />
            <span>automatically, and</span>
            <Input
              aria-label={`${fam} prefixes to assign`}
              placeholder={`e.g. ${prefixExample(change.family)}`}
              value={change.named}
              disabled={p.disabled}
              onChange={(e) => p.onChange({ ...change, named: e.target.value })}
              style={{ ...mono, flex: 1 }}
            />
          </Flex>
          {check.problems.map((m) => (
            <Typography.Text key={m} type="danger" style={{ display: 'block', fontSize: 12 }} data-testid={`prefix-issue-${change.family}`}>
              {m}
            </Typography.Text>
          ))}
        </>
      )}
    </section>
  );
}
