// Turning the dialog's state into API requests, and running them.
//
// Order: removals first (they free quota), IPv4 before IPv6. Per family, one
// Assign request carries the rows: PrivateIpAddress.N / Ipv6Address.N for the
// manual ones, or SecondaryPrivateIpAddressCount / Ipv6AddressCount for the
// auto ones. The API refuses both in one request (InvalidParameter.Conflict),
// so when a family has both kinds the console sends two: the manual addresses
// first (the request more likely to be refused: taken, reserved), then the
// count. If the count request is refused, the manual addresses it just added
// are unassigned again, so the family's rows are applied all or not at all.
// Removals already applied are not undone (an address given back may already
// be someone else's); the outcome says exactly what was applied.
import type { IpFamily, IpRow } from './ip-rows.ts';
import { splitRows } from './ip-rows.ts';

export type AddressAction = 'AssignPrivateIpAddresses' | 'UnassignPrivateIpAddresses' | 'AssignIpv6Addresses' | 'UnassignIpv6Addresses';

export interface PlanStep {
  action: AddressAction;
  family: IpFamily;
  kind: 'unassign' | 'manual' | 'auto';
  params: Record<string, string>;
  /** the addresses named (unassign, manual) */
  addresses: string[];
  /** the count asked for (auto) */
  count: number;
}

export interface FamilyChanges {
  removing: readonly string[];
  rows: readonly IpRow[];
}

const listParams = (name: string, values: readonly string[]) => Object.fromEntries(values.map((v, i) => [`${name}.${i + 1}`, v]));

export function planChanges(eniId: string, v4: FamilyChanges, v6: FamilyChanges): PlanStep[] {
  const steps: PlanStep[] = [];
  const base = { NetworkInterfaceId: eniId };
  if (v4.removing.length > 0) {
    steps.push({
      action: 'UnassignPrivateIpAddresses',
      family: 4,
      kind: 'unassign',
      params: { ...base, ...listParams('PrivateIpAddress', v4.removing) },
      addresses: [...v4.removing],
      count: 0,
    });
  }
  if (v6.removing.length > 0) {
    steps.push({
      action: 'UnassignIpv6Addresses',
      family: 6,
      kind: 'unassign',
      params: { ...base, ...listParams('Ipv6Address', v6.removing) },
      addresses: [...v6.removing],
      count: 0,
    });
  }
  for (const [family, changes] of [
    [4, v4],
    [6, v6],
  ] as const) {
    const { manual, autoCount } = splitRows(family, changes.rows);
    const action: AddressAction = family === 4 ? 'AssignPrivateIpAddresses' : 'AssignIpv6Addresses';
    if (manual.length > 0) {
      steps.push({
        action,
        family,
        kind: 'manual',
        params: { ...base, ...listParams(family === 4 ? 'PrivateIpAddress' : 'Ipv6Address', manual) },
        addresses: manual,
        count: 0,
      });
    }
    if (autoCount > 0) {
      steps.push({
        action,
        family,
        kind: 'auto',
        params: { ...base, [family === 4 ? 'SecondaryPrivateIpAddressCount' : 'Ipv6AddressCount']: String(autoCount) },
        addresses: [],
        count: autoCount,
      });
    }
  }
  return steps;
}

interface ApiFailure {
  code: string;
  message: string;
  requestId?: string;
}

export interface ApplyOutcome {
  ok: boolean;
  /** addresses assigned and kept, per family */
  assigned: { 4: string[]; 6: string[] };
  /** addresses unassigned */
  unassigned: { 4: string[]; 6: string[] };
  /** the steps that succeeded (and were not rolled back) */
  done: PlanStep[];
  /** the refusal that stopped the run */
  error?: ApiFailure & { step: PlanStep };
  /** manual addresses released again because the auto request of their family failed */
  rolledBack: string[];
  /** set when releasing them failed too: they stay assigned */
  rollbackError?: ApiFailure;
}

/** Sends one request; resolves with the addresses the API assigned (empty for unassign), or rejects with an ApiFailure-like error. */
export type StepRunner = (action: AddressAction, params: Record<string, string>) => Promise<string[]>;

function failure(e: unknown): ApiFailure {
  const x = e as Partial<ApiFailure> & { message?: string };
  return { code: x.code ?? 'Console.NetworkError', message: x.message ?? String(e), requestId: x.requestId };
}

export async function applyPlan(steps: readonly PlanStep[], run: StepRunner): Promise<ApplyOutcome> {
  const out: ApplyOutcome = { ok: true, assigned: { 4: [], 6: [] }, unassigned: { 4: [], 6: [] }, done: [], rolledBack: [] };
  for (const step of steps) {
    try {
      const got = await run(step.action, step.params);
      if (step.kind === 'unassign') out.unassigned[step.family].push(...step.addresses);
      else out.assigned[step.family].push(...got);
      out.done.push(step);
    } catch (e) {
      out.ok = false;
      out.error = { ...failure(e), step };
      const manualFirst = steps.find((s) => s.family === step.family && s.kind === 'manual');
      if (step.kind === 'auto' && manualFirst && out.assigned[step.family].length > 0) {
        const undo = out.assigned[step.family];
        const action: AddressAction = step.family === 4 ? 'UnassignPrivateIpAddresses' : 'UnassignIpv6Addresses';
        try {
          await run(action, {
            NetworkInterfaceId: step.params.NetworkInterfaceId,
            ...listParams(step.family === 4 ? 'PrivateIpAddress' : 'Ipv6Address', undo),
          });
          out.rolledBack = [...undo];
          out.assigned[step.family] = [];
          out.done = out.done.filter((s) => !(s.family === step.family && s.kind === 'manual'));
        } catch (e2) {
          out.rollbackError = failure(e2);
        }
      }
      return out;
    }
  }
  return out;
}
