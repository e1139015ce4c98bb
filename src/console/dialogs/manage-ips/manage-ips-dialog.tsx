// Manage ENI IP Addresses: the seed's dialog. Secondary private IPv4 and IPv6
// sections; delete icons mark addresses for unassignment, Increase adds rows
// (Auto-assign or Enter manually, checked as you type); Confirm applies it all
// (logic/apply-plan.ts), and a refusal keeps the dialog open with the API's
// Code and Message.
import { useMemo, useRef, useState } from 'react';
import { Alert, App, Button, Descriptions, Modal, Skeleton, Space, Tooltip, Typography } from 'antd';
import { addressAction, prefixAction } from '../../api/ecs.ts';
import { useScope } from '../../state/scope.tsx';
import { useSignedIn } from '../../state/session.tsx';
import { checkFamily, type FamilyState, type IpRow } from '../../logic/ip-rows.ts';
import { addressesChangeable, quotaFor } from '../../logic/eni-quota.ts';
import { applyPlan, planChanges, type ApplyOutcome } from '../../logic/apply-plan.ts';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';
import { StatusTag } from '../../components/status-tag.tsx';
import { FamilySection } from './family-section.tsx';
import { PrefixSection } from './prefix-section.tsx';
import {
  checkPrefixChange,
  emptyPrefixChange,
  heldPrefixes,
  namedPrefixes,
  prefixChangeCount,
  prefixSteps,
  type PrefixChange,
  type PrefixStep,
} from '../../logic/ip-prefixes.ts';
import { useEniContext, type EniContext } from './use-eni-context.ts';

function familyStates(
  ctx: EniContext,
  limits: ReturnType<typeof useSignedIn>['limits'],
  removing4: string[],
  removing6: string[],
  prefixes: Record<4 | 6, PrefixChange>,
): [FamilyState, FamilyState] {
  const { eni, vSwitch, instanceType } = ctx;
  const v4 = eni.PrivateIpSets.PrivateIpSet;
  const held = heldPrefixes(eni);
  // each prefix holds one address slot of its family's cap (domain/eni-rules), so the quota line counts them
  const prefixChange = (c: PrefixChange) => ({ removing: c.removing.length, adding: c.count + namedPrefixes(c.named).length });
  return [
    {
      family: 4,
      cidr: vSwitch?.CidrBlock ?? null,
      assigned: v4.map((a) => a.PrivateIpAddress),
      primary: v4.find((a) => a.Primary)?.PrivateIpAddress,
      removing: removing4,
      quota: quotaFor(eni.Status, 4, limits, instanceType),
      prefixes: held[4],
      prefixChange: prefixChange(prefixes[4]),
    },
    {
      family: 6,
      cidr: vSwitch?.Ipv6CidrBlock || null,
      assigned: eni.Ipv6Sets.Ipv6Set.map((a) => a.Ipv6Address),
      removing: removing6,
      quota: quotaFor(eni.Status, 6, limits, instanceType),
      prefixes: held[6],
      prefixChange: prefixChange(prefixes[6]),
    },
  ];
}

function quotaNote(ctx: EniContext, family: 4 | 6, max: number): string {
  const what = family === 4 ? 'private IPv4 addresses including the primary one' : 'IPv6 addresses';
  const prefixes = ' Each IP prefix counts as one address.';
  if (ctx.eni.Status !== 'Available' && ctx.instanceType) {
    return `Bound to ${ctx.instance?.InstanceId} (${ctx.instanceType.InstanceTypeId}): at most ${max} ${what} per ENI, from DescribeInstanceTypes.${prefixes}`;
  }
  return `An Available ENI holds at most ${max} ${what}.${prefixes}`;
}

function outcomeSummary(o: ApplyOutcome): string {
  const parts: string[] = [];
  const un = [...o.unassigned[4], ...o.unassigned[6]];
  const as = [...o.assigned[4], ...o.assigned[6]];
  if (un.length) parts.push(`unassigned ${un.join(', ')}`);
  if (as.length) parts.push(`assigned ${as.join(', ')}`);
  if (o.rolledBack.length) parts.push(`released ${o.rolledBack.join(', ')} again so the rows of that family apply all or nothing`);
  return parts.length ? `Applied before the refusal: ${parts.join('; ')}.` : 'Nothing was changed.';
}

export function ManageIpsDialog({ eniId, onClose, onChanged }: { eniId: string; onClose(): void; onChanged(): void }) {
  const scope = useScope();
  const session = useSignedIn();
  const { message } = App.useApp();
  const ctx = useEniContext(scope.regionId, eniId);
  const [rows4, setRows4] = useState<IpRow[]>([]);
  const [rows6, setRows6] = useState<IpRow[]>([]);
  const [removing4, setRemoving4] = useState<string[]>([]);
  const [removing6, setRemoving6] = useState<string[]>([]);
  const [prefix4, setPrefix4] = useState<PrefixChange>(emptyPrefixChange(4));
  const [prefix6, setPrefix6] = useState<PrefixChange>(emptyPrefixChange(6));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ e: unknown; note: string }>();
  const seq = useRef(0);
  const newKey = () => `row-${++seq.current}`;

  const states = useMemo(
    () => (ctx.data ? familyStates(ctx.data, session.limits, removing4, removing6, { 4: prefix4, 6: prefix6 }) : undefined),
    [ctx.data, session.limits, removing4, removing6, prefix4, prefix6],
  );
  const checks = useMemo(
    () => (states ? ([checkFamily(states[0], rows4), checkFamily(states[1], rows6)] as const) : undefined),
    [states, rows4, rows6],
  );
  const held = useMemo(() => (ctx.data ? heldPrefixes(ctx.data.eni) : { 4: [], 6: [] }), [ctx.data]);
  const prefixChecks = useMemo(
    () =>
      [
        checkPrefixChange(prefix4, ctx.data?.vSwitch?.CidrBlock ?? null, held[4]),
        checkPrefixChange(prefix6, ctx.data?.vSwitch?.Ipv6CidrBlock || null, held[6]),
      ] as const,
    [prefix4, prefix6, ctx.data, held],
  );
  const toggle = (list: string[], set: (l: string[]) => void) => (a: string) =>
    set(list.includes(a) ? list.filter((x) => x !== a) : [...list, a]);
  const changes =
    rows4.length + rows6.length + removing4.length + removing6.length + prefixChangeCount(prefix4) + prefixChangeCount(prefix6);
  const refusals =
    (checks ? checks[0].refusals + checks[1].refusals : 0) + prefixChecks[0].problems.length + prefixChecks[1].problems.length;
  const blocking = checks ? checks[0].blocking || checks[1].blocking : true;
  const eni = ctx.data?.eni;
  const changeable = eni ? addressesChangeable(eni.Status) : false;

  const confirm = async () => {
    if (!eni) return;
    setBusy(true);
    setError(undefined);
    const steps = planChanges(eni.NetworkInterfaceId, { removing: removing4, rows: rows4 }, { removing: removing6, rows: rows6 });
    const outcome = await applyPlan(steps, (action, params) => addressAction(scope.regionId, action, params));
    if (outcome.ok) {
      // then the prefixes, one call each (the API never takes addresses and prefixes of a family together)
      const r = await applyPrefixes(
        prefixSteps(eni.NetworkInterfaceId, [
          { change: prefix4, prefixes: prefixChecks[0].prefixes },
          { change: prefix6, prefixes: prefixChecks[1].prefixes },
        ]),
      );
      onChanged();
      if (r.error === undefined) {
        const added = [...outcome.assigned[4], ...outcome.assigned[6], ...r.assigned];
        message.success(added.length ? `Assigned ${added.join(', ')}` : 'Addresses updated');
        setBusy(false);
        onClose();
        return;
      }
      // drop what was applied so Confirm does not send it twice
      setRows4([]);
      setRows6([]);
      setRemoving4([]);
      setRemoving6([]);
      const doneKinds = (f: 4 | 6) => new Set(r.done.filter((s) => s.family === f).map((s) => s.kind));
      const keep = (c: PrefixChange): PrefixChange => {
        const d = doneKinds(c.family);
        return {
          ...c,
          removing: d.has('unassign') ? [] : c.removing,
          named: d.has('named') ? '' : c.named,
          count: d.has('count') ? 0 : c.count,
        };
      };
      setPrefix4(keep);
      setPrefix6(keep);
      const applied = [...outcome.unassigned[4], ...outcome.unassigned[6], ...outcome.assigned[4], ...outcome.assigned[6]];
      const note = [
        applied.length ? `Addresses applied before the refusal: ${applied.join(', ')}.` : '',
        r.done.length
          ? `Prefix calls applied before it: ${r.done.map((s) => s.action).join(', ')}${r.assigned.length ? ` (assigned ${r.assigned.join(', ')})` : ''}.`
          : '',
      ]
        .filter(Boolean)
        .join(' ');
      setError({ e: r.error, note: note || 'Nothing was changed.' });
      setBusy(false);
      void ctx.reload();
      return;
    }
    onChanged();
    // Keep the dialog open; drop what was applied so Confirm does not send it twice.
    const done = outcome.done;
    const applied = (f: 4 | 6, kind: 'manual' | 'auto') => done.some((s) => s.family === f && s.kind === kind);
    setRemoving4((l) => l.filter((a) => !outcome.unassigned[4].includes(a)));
    setRemoving6((l) => l.filter((a) => !outcome.unassigned[6].includes(a)));
    setRows4((r) => r.filter((x) => !applied(4, x.mode)));
    setRows6((r) => r.filter((x) => !applied(6, x.mode)));
    const rollback = outcome.rollbackError
      ? ` Releasing the manual addresses again failed too (${outcome.rollbackError.code}: ${outcome.rollbackError.message}); they stay assigned.`
      : '';
    setError({ e: outcome.error, note: outcomeSummary(outcome) + rollback });
    setBusy(false);
    void ctx.reload();
  };

  /** the prefix calls in order, stopping at the first refusal */
  const applyPrefixes = async (list: PrefixStep[]) => {
    const done: PrefixStep[] = [];
    const assigned: string[] = [];
    for (const s of list) {
      try {
        assigned.push(...(await prefixAction(scope.regionId, s.action, s.params)));
        done.push(s);
      } catch (e) {
        return { done, assigned, error: e as unknown };
      }
    }
    return { done, assigned, error: undefined };
  };

  const footer = (
    <Space>
      <Button onClick={onClose} disabled={busy}>
        Cancel
      </Button>
      <Tooltip
        title={
          blocking
            ? 'Fill in or remove the empty "Enter manually" rows.'
            : refusals
              ? `The API is expected to refuse ${refusals} row(s) (marked in red); Confirm sends anyway and shows its answer.`
              : undefined
        }
      >
        <Button
          type="primary"
          danger={refusals > 0 && !blocking}
          onClick={() => void confirm()}
          loading={busy}
          disabled={changes === 0 || blocking || !changeable}
          data-testid="confirm-ips"
        >
          Confirm
        </Button>
      </Tooltip>
    </Space>
  );

  return (
    <Modal
      open
      title="Manage ENI IP Addresses"
      width={780}
      onCancel={busy ? undefined : onClose}
      footer={footer}
      maskClosable={false}
      destroyOnHidden
    >
      {!ctx.data && !ctx.error && <Skeleton active />}
      <ApiErrorAlert error={ctx.error} title="Loading the ENI failed" />
      {ctx.data && states && checks && (
        <>
          <Descriptions
            size="small"
            column={2}
            style={{ marginBottom: 16 }}
            items={[
              {
                key: 'id',
                label: 'ENI',
                children: (
                  <span>
                    {ctx.data.eni.NetworkInterfaceId}
                    {ctx.data.eni.NetworkInterfaceName ? ` (${ctx.data.eni.NetworkInterfaceName})` : ''}
                  </span>
                ),
              },
              { key: 'status', label: 'Status', children: <StatusTag status={ctx.data.eni.Status} /> },
              { key: 'vsw', label: 'vSwitch', children: `${ctx.data.eni.VSwitchId}` },
              {
                key: 'inst',
                label: 'Instance',
                children: ctx.data.instance ? `${ctx.data.instance.InstanceId} (${ctx.data.instance.InstanceType})` : 'not bound',
              },
            ]}
          />
          {!changeable && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              title={`The ENI is ${ctx.data.eni.Status}. Addresses can be changed when it is Available or InUse; this dialog updates when it gets there.`}
            />
          )}
          <FamilySection
            title="Secondary Private IPv4 Address"
            state={states[0]}
            rows={rows4}
            check={checks[0]}
            disabled={busy || !changeable}
            quotaNote={quotaNote(ctx.data, 4, states[0].quota.max)}
            onRows={setRows4}
            onToggleRemove={toggle(removing4, setRemoving4)}
            newKey={newKey}
          />
          <FamilySection
            title="IPv6 Address"
            state={states[1]}
            rows={rows6}
            check={checks[1]}
            disabled={busy || !changeable}
            unavailable={
              states[1].cidr
                ? undefined
                : 'The vSwitch of this ENI has no IPv6 CIDR block, so the ENI cannot have IPv6 addresses. Create the vSwitch with IPv6 enabled (in a VPC with IPv6).'
            }
            quotaNote={quotaNote(ctx.data, 6, states[1].quota.max)}
            onRows={setRows6}
            onToggleRemove={toggle(removing6, setRemoving6)}
            newKey={newKey}
          />
          <PrefixSection change={prefix4} check={prefixChecks[0]} held={held[4]} disabled={busy || !changeable} onChange={setPrefix4} />
          <PrefixSection
            change={prefix6}
            check={prefixChecks[1]}
            held={held[6]}
            disabled={busy || !changeable}
            unavailable={
              states[1].cidr ? undefined : 'The vSwitch of this ENI has no IPv6 CIDR block, so the ENI cannot have IPv6 prefixes.'
            }
            onChange={setPrefix6}
          />
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 0 }}>
            Prefixes are sent after the addresses, one request each (unassign, named, count). Confirm sends one request per family (a family
            with both auto and manual rows sends the manual addresses, then the count). The operating system does not pick up new addresses
            by itself: see “Configure the OS” on the ENI&apos;s details page.
          </Typography.Paragraph>
        </>
      )}
      {error && (
        <div data-testid="manage-ips-error" ref={(el) => el?.scrollIntoView({ block: 'nearest' })} style={{ marginTop: 16 }}>
          <ApiErrorAlert error={error.e} title="Refused" onClose={() => setError(undefined)} />
          <Typography.Paragraph type="secondary" style={{ marginTop: -8, marginBottom: 0 }}>
            {error.note}
          </Typography.Paragraph>
        </div>
      )}
    </Modal>
  );
}
