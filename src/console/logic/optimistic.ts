// Accepted-but-unseen transitions. AttachNetworkInterface and
// DetachNetworkInterface answer at once and leave the ENI Attaching or
// Detaching; with short transition times the next poll may already find it
// settled. So a list shows the state the API just confirmed until a fetch
// that started after the call says otherwise — never longer.
import type { EniStatus, EniWire } from '../api/wire.ts';

export interface PendingTransition {
  status: EniStatus;
  /** the instance the transition concerns */
  instanceId: string;
  /** when the API accepted the call (performance.now() ms) */
  at: number;
  /** the ENI as last seen, to show it in a list that does not have it yet (an instance's ENIs while Attaching) */
  eni: EniWire;
}

/**
 * Rows as the page should show them: fetched rows, with every pending
 * transition newer than the fetch (`dataAt`, when the fetch started) applied.
 * With `instanceId`, the list is that instance's ENIs: a pending attach to it
 * adds the ENI.
 */
export function withPending(
  rows: readonly EniWire[],
  dataAt: number,
  pending: ReadonlyMap<string, PendingTransition>,
  instanceId?: string,
): EniWire[] {
  const out = rows.map((r) => {
    const p = pending.get(r.NetworkInterfaceId);
    return p && p.at > dataAt ? { ...r, Status: p.status, InstanceId: p.instanceId } : r;
  });
  if (instanceId !== undefined) {
    for (const [id, p] of pending) {
      if (p.at > dataAt && p.instanceId === instanceId && p.status === 'Attaching' && !out.some((r) => r.NetworkInterfaceId === id)) {
        out.push({ ...p.eni, Status: p.status, InstanceId: p.instanceId });
      }
    }
  }
  return out;
}
