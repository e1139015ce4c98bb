// The banner a signed-in console shows while the server fails requests on
// purpose (fault rules) or enforces request quotas: an error seen in the
// console may then be injected, not a bug. Polled, so rules added with
// `eniplane faults add` (or through another server) appear without a reload.
import { useEffect, useState } from 'react';
import { Alert } from 'antd';
import { consoleApi } from '../api/rpc.ts';
import type { ChaosStatus } from '../api/wire.ts';

const POLL_MS = 3000;

export function FaultBanner() {
  const [status, setStatus] = useState<ChaosStatus | undefined>();
  useEffect(() => {
    let live = true;
    const look = () =>
      consoleApi<ChaosStatus>('GET', 'chaos').then(
        (s) => live && setStatus(s),
        () => {}, // a failed poll keeps the last answer; the pages show their own errors
      );
    void look();
    const timer = setInterval(look, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);
  if (!status || (!status.faultsActive && !status.throttleActive)) return null;
  const parts: string[] = [];
  if (status.faultsActive)
    parts.push(
      `Fault injection is active (${status.faultRules} rule${status.faultRules === 1 ? '' : 's'}): requests may fail, slow down or lose their answers on purpose.`,
    );
  if (status.throttleActive) parts.push('Request quotas are enforced: calls past them answer Throttling.');
  return (
    <Alert
      banner
      type="warning"
      showIcon
      data-testid="fault-banner"
      role="status"
      message={parts.join(' ')}
      description={status.faultsActive ? 'See them with `eniplane faults list`; remove them with `eniplane faults clear`.' : undefined}
    />
  );
}
