// Waiting for an ENI's link to arrive: the metadata can name an ENI (its
// Attach committed) a moment before its NIC appears in the guest. Instead of
// retrying on a back-off, the agent watches /sys/class/net (a directory read
// and one small file per link every LINK_POLL_MS, no process) until one of
// the MACs it waits for appears. Bounded by the caller's timeout and signal.
import { readdir, readFile } from 'node:fs/promises';

const LINK_POLL_MS = 20;
const SYS_NET = '/sys/class/net';

/** the MACs (lower case) of the links in this network namespace, or undefined when /sys cannot be read */
export async function linkMacs(sysNet = SYS_NET): Promise<Set<string> | undefined> {
  let names: string[];
  try {
    names = await readdir(sysNet);
  } catch {
    return undefined;
  }
  const macs = new Set<string>();
  await Promise.all(
    names.map(async (n) => {
      try {
        macs.add((await readFile(`${sysNet}/${n}/address`, 'utf8')).trim().toLowerCase());
      } catch {
        /* gone meanwhile */
      }
    }),
  );
  return macs;
}

/**
 * Resolves true once a link with one of `macs` is there (at once if it
 * already is: it may have arrived between the caller's kernel read and this
 * call); false after timeoutMs, on abort, or at once when /sys cannot be read
 * (the caller then falls back to its own timing).
 */
export async function linkArrived(macs: string[], timeoutMs: number, signal?: AbortSignal, sysNet = SYS_NET): Promise<boolean> {
  const wanted = macs.map((m) => m.toLowerCase());
  const end = Date.now() + timeoutMs;
  for (;;) {
    const now = await linkMacs(sysNet);
    if (!now) return false;
    if (wanted.some((m) => now.has(m))) return true;
    if (signal?.aborted || Date.now() >= end) return false;
    await new Promise((r) => setTimeout(r, Math.min(LINK_POLL_MS, Math.max(0, end - Date.now()))));
  }
}
