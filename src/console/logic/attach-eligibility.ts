// Which ENIs and instances the console offers for binding. The rule is the
// server's own (domain/eni-rules' attachRefusal); this file only reads the wire
// shapes into it, so a picker never offers what AttachNetworkInterface refuses.
import { attachRefusal } from '../../domain/eni-rules.ts';
import type { EniWire, InstanceWire } from '../api/wire.ts';

/** An ENI that may be bound to some instance: a secondary ENI, Available. */
export function eniBindable(e: Pick<EniWire, 'Type' | 'Status'>): boolean {
  return attachRefusal({ type: e.Type, status: e.Status }, {}) === undefined;
}

/** An instance that may take an ENI now: Running or Stopped. */
export function instanceTakesEnis(i: Pick<InstanceWire, 'Status'>): boolean {
  return attachRefusal({}, { status: i.Status }) === undefined;
}

/** This ENI may go to this instance as far as the ENI, VPC and zone go (the instance's state is asked apart). */
export function eniFitsInstance(
  e: Pick<EniWire, 'Type' | 'Status' | 'VpcId' | 'ZoneId'>,
  i: Pick<InstanceWire, 'VpcAttributes' | 'ZoneId'>,
): boolean {
  return (
    attachRefusal(
      { type: e.Type, status: e.Status, vpcId: e.VpcId, zoneId: e.ZoneId },
      { vpcId: i.VpcAttributes.VpcId, zoneId: i.ZoneId },
    ) === undefined
  );
}
