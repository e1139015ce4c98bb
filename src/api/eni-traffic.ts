// An ENI's traffic settings as CreateNetworkInterface and ModifyNetworkInterfaceAttribute take them:
// the mode and queues flat (QueueNumber, ...) or inside NetworkInterfaceTrafficConfig (the object wins
// where both are given), ConnectionTrackingConfiguration.* and EnhancedNetwork.*.
import type { ParamReader } from './params.ts';
import type { EniTraffic, EniTrafficMode } from '../domain/model.ts';
import { wireErrors } from './errors.ts';

const MODES: readonly EniTrafficMode[] = ['Standard', 'HighPerformance'];

export function readEniTraffic(p: ParamReader): Partial<EniTraffic> {
  const pick = (name: string) => (p.params.has(`NetworkInterfaceTrafficConfig.${name}`) ? `NetworkInterfaceTrafficConfig.${name}` : name);
  const mode = p.str(pick('NetworkInterfaceTrafficMode'));
  if (mode !== undefined && !(MODES as readonly string[]).includes(mode))
    throw wireErrors.invalidParameter(pick('NetworkInterfaceTrafficMode'));
  return {
    mode: mode as EniTrafficMode | undefined,
    queueNumber: p.int(pick('QueueNumber'), { min: 1, max: 2048 }),
    queuePairNumber: p.int(pick('QueuePairNumber'), { min: 1, max: 2048 }),
    rxQueueSize: p.int(pick('RxQueueSize'), { min: 1, max: 65_536 }),
    txQueueSize: p.int(pick('TxQueueSize'), { min: 1, max: 65_536 }),
    // The documented ranges: 3-15 s, 30-910 s, 10-100 s.
    tcpClosedAndTimeWaitTimeout: p.int('ConnectionTrackingConfiguration.TcpClosedAndTimeWaitTimeout', { min: 3, max: 15 }),
    tcpEstablishedTimeout: p.int('ConnectionTrackingConfiguration.TcpEstablishedTimeout', { min: 30, max: 910 }),
    udpTimeout: p.int('ConnectionTrackingConfiguration.UdpTimeout', { min: 10, max: 100 }),
    enableSriov: p.bool('EnhancedNetwork.EnableSriov'),
    enableRss: p.bool('EnhancedNetwork.EnableRss'),
    enableExpress: p.bool('EnhancedNetwork.EnableExpress'),
    virtualFunctionQuantity: p.int('EnhancedNetwork.VirtualFunctionQuantity', { min: 0, max: 64 }),
    virtualFunctionTotalQueueNumber: p.int('EnhancedNetwork.VirtualFunctionTotalQueueNumber', { min: 0, max: 2048 }),
  };
}
