// An ENI's traffic settings as CreateNetworkInterface and ModifyNetworkInterfaceAttribute take them:
// flat (QueueNumber, ...) or inside NetworkInterfaceTrafficConfig; the object wins where both are given.
import type { ParamReader } from './params.ts';
import type { EniTraffic, EniTrafficMode } from '../domain/model.ts';
import { wireErrors } from './errors.ts';

const MODES: readonly EniTrafficMode[] = ['Standard', 'HighPerformance'];

export function readEniTraffic(p: ParamReader): Partial<EniTraffic> {
  const pick = (name: string) => (p.params.has(`NetworkInterfaceTrafficConfig.${name}`) ? `NetworkInterfaceTrafficConfig.${name}` : name);
  const mode = p.str(pick('NetworkInterfaceTrafficMode'));
  if (mode !== undefined && !(MODES as readonly string[]).includes(mode)) throw wireErrors.invalidParameter(pick('NetworkInterfaceTrafficMode'));
  return {
    mode: mode as EniTrafficMode | undefined,
    queueNumber: p.int(pick('QueueNumber'), { min: 1, max: 2048 }),
    queuePairNumber: p.int(pick('QueuePairNumber'), { min: 1, max: 2048 }),
    rxQueueSize: p.int(pick('RxQueueSize'), { min: 1, max: 65_536 }),
    txQueueSize: p.int(pick('TxQueueSize'), { min: 1, max: 65_536 }),
  };
}
