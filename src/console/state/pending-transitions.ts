// The console-wide record of transitions the API accepted (see logic/optimistic.ts).
import { useSyncExternalStore } from 'react';
import type { EniStatus, EniWire } from '../api/wire.ts';
import type { PendingTransition } from '../logic/optimistic.ts';

let pending = new Map<string, PendingTransition>();
const listeners = new Set<() => void>();

export function markTransition(eni: EniWire, status: EniStatus, instanceId: string): void {
  pending = new Map(pending).set(eni.NetworkInterfaceId, { status, instanceId, at: performance.now(), eni });
  for (const l of listeners) l();
}

export function usePendingTransitions(): ReadonlyMap<string, PendingTransition> {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => pending,
  );
}
