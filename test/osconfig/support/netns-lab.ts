// A throw-away network for applying rendered configuration for real:
//
//   [ns VM "instance"]  eth0 --veth-- rt0  198.18.0.1/24  2001:db8::1/64    [ns RT "router"]
//                       eth1 --veth-- rt1  198.18.1.1/24  2001:db8:1::1/64   lo: 198.19.0.1, 2001:db8:ff::1
//
// eth0 is the primary ENI (LAB_PRIMARY), eth1 a secondary ENI (LAB_SECONDARY).
// The router's loopback addresses play a client in another network, so a
// reply to them must leave the VM through a default route; RT has strict
// rp_filter, so a reply from eth1's address arriving on rt0 is dropped: that
// is how the test sees whether the secondary ENI's policy routing works.
// Only 198.18.0.0/15 and 2001:db8::/32 are used; names are unique per
// process, and remove() deletes both namespaces (and so the veth pairs).

import { run, runOk, waitFor } from './proc.ts';
import { LAB_PRIMARY, LAB_SECONDARY } from './facts-arb.ts';

let counter = 0;
export const CLIENT_V4 = '198.19.0.1';
export const CLIENT_V6 = '2001:db8:ff::1';

export interface Lab {
  vm: string;
  rt: string;
  remove(): void;
}

export function createLab(): Lab {
  const n = ++counter;
  const vm = `enp-os-${process.pid}-${n}vm`;
  const rt = `enp-os-${process.pid}-${n}rt`;
  const lab: Lab = {
    vm,
    rt,
    remove() {
      run('ip', ['netns', 'del', vm]);
      run('ip', ['netns', 'del', rt]);
    },
  };
  try {
    runOk('ip', ['netns', 'add', vm]);
    runOk('ip', ['netns', 'add', rt]);
    const ipn = (ns: string, ...args: string[]) => runOk('ip', ['-n', ns, ...args]);
    ipn(rt, 'link', 'set', 'lo', 'up');
    ipn(vm, 'link', 'set', 'lo', 'up');
    ipn(rt, 'addr', 'add', `${CLIENT_V4}/32`, 'dev', 'lo');
    ipn(rt, 'addr', 'add', `${CLIENT_V6}/128`, 'dev', 'lo');
    for (const [i, f] of [LAB_PRIMARY, LAB_SECONDARY].entries()) {
      ipn(vm, 'link', 'add', f.interfaceName, 'address', f.macAddress, 'type', 'veth', 'peer', 'name', `rt${i}`, 'netns', rt);
      // IPv6 duplicate address detection stays on (the tools wait for it) but probes
      // every 100 ms instead of every second
      runOk('ip', ['netns', 'exec', vm, 'sysctl', '-qw', `net.ipv6.neigh.${f.interfaceName}.retrans_time_ms=100`]);
      ipn(rt, 'addr', 'add', `${f.ipv4.gateway}/${f.ipv4.prefixLength}`, 'dev', `rt${i}`);
      ipn(rt, 'addr', 'add', `${f.ipv6!.gateway}/${f.ipv6!.prefixLength}`, 'dev', `rt${i}`, 'nodad');
      ipn(rt, 'link', 'set', `rt${i}`, 'up');
    }
    // strict reverse-path filter on the router (the effective value is the max of "all" and the device's)
    runOk('ip', ['netns', 'exec', rt, 'sysctl', '-qw', 'net.ipv4.conf.all.rp_filter=1']);
  } catch (e) {
    lab.remove();
    throw e;
  }
  return lab;
}

/** one ping from the router, optionally from a given source; retried briefly (ARP/ND) */
export async function pingFromRouter(lab: Lab, address: string, source?: string): Promise<boolean> {
  const args = ['netns', 'exec', lab.rt, 'ping', address.includes(':') ? '-6' : '-4', '-c1', '-W1', '-q'];
  if (source) args.push('-I', source);
  for (let attempt = 0; attempt < 3; attempt++) {
    if (run('ip', [...args, address], { timeoutMs: 5000 }).status === 0) return true;
  }
  return false;
}

interface AddrInfo {
  family: string;
  local: string;
  prefixlen: number;
  tentative?: boolean;
}

export function vmAddresses(lab: Lab, dev: string): AddrInfo[] {
  const out = runOk('ip', ['-n', lab.vm, '-j', 'addr', 'show', 'dev', dev]).stdout;
  const links = JSON.parse(out) as { addr_info: AddrInfo[] }[];
  return links[0]?.addr_info ?? [];
}

/** waits until every address is on the device and none is still in IPv6 DAD */
export async function waitForAddresses(lab: Lab, dev: string, want: string[], timeoutMs: number): Promise<void> {
  await waitFor(
    `${want.join(', ')} on ${dev} in ${lab.vm}`,
    () => {
      const have = vmAddresses(lab, dev)
        .filter((a) => !a.tentative && a.family !== undefined)
        .map((a) => `${a.local}/${a.prefixlen}`);
      return want.every((w) => have.includes(w));
    },
    timeoutMs,
  );
}

/** `ip route get` inside the VM: which device and table a reply from `from` to `to` takes */
export function routeGet(lab: Lab, to: string, from: string): string {
  return runOk('ip', ['-n', lab.vm, to.includes(':') ? '-6' : '-4', 'route', 'get', to, 'from', from]).stdout;
}

export function vmDefaultRoutes(lab: Lab, family: '-4' | '-6'): string {
  return runOk('ip', ['-n', lab.vm, family, 'route', 'show', 'default']).stdout;
}
