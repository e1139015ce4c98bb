// Choosing IPv4 addresses for one assign request. Pure: the index is read,
// never written (the service takes the returned addresses once they are
// saved), and randomness comes from the caller's Rng.

import { DomainError } from '../domain/errors.ts';
import type { Rng } from '../domain/ports.ts';
import { checkRequest, type AddressRequest } from './address-request.ts';
import { formatIpv4, formatIpv4Cidr, ipv4InCidr, isReservedIpv4, parseIpv4, usableIpv4Count } from './ipv4.ts';
import type { Ipv4FreeSpace } from './ipv4-free-space.ts';
import { drawInt } from './random-draw.ts';

export type Ipv4Request = AddressRequest;

/**
 * Returns the addresses (dotted quads, in request order) or throws; nothing is
 * half-done since nothing is written.
 *
 * - `{count}`: each address is the first free one at or after a uniformly
 *   random usable address (wrapping), found through the bitmap index, so the
 *   cost does not grow as the vSwitch fills. Fewer free than asked →
 *   VSwitchIpNotEnough {requested, available}. Every free address can come
 *   out, but not with equal odds: the one right after a run of taken
 *   addresses also catches the starts that fall in the run. That is the
 *   price of a constant-cost search, and the run shrinks as it is picked.
 * - `{addresses}`: validated in phases, each over the whole list in request
 *   order, so the error for a given request is deterministic and the
 *   request-intrinsic problems win over the state-dependent one:
 *   1. AddressMalformed {address}            strict dotted quad
 *   2. AddressInvalidForVSwitch {address, cidr}  outside the CIDR or reserved
 *   3. AddressRepeated {address}             named twice in the request
 *   4. AddressInUse {address}                not free in the index
 */
export function allocateIpv4(space: Ipv4FreeSpace, request: Ipv4Request, rng: Rng): string[] {
  const checked = checkRequest(request);
  return checked.kind === 'count' ? pickRandom(space, checked.count, rng) : checkManual(space, checked.addresses);
}

function pickRandom(space: Ipv4FreeSpace, count: number, rng: Rng): string[] {
  const available = space.freeCount();
  if (available < count) throw new DomainError('VSwitchIpNotEnough', { requested: count, available });
  const { cidr } = space;
  const usable = usableIpv4Count(cidr);
  const draft = space.draft();
  const picked: string[] = [];
  for (let i = 0; i < count; i++) {
    // Usable addresses are base+1 .. base+usable; start uniformly among them.
    const n = draft.nextFreeAtOrAfter(cidr.base + 1 + drawInt(rng, usable));
    if (n === undefined) throw new Error('free-space index count disagrees with its bitmap'); // a bug, not a user error
    draft.take(n);
    picked.push(formatIpv4(n));
  }
  return picked;
}

function checkManual(space: Ipv4FreeSpace, texts: readonly string[]): string[] {
  const { cidr } = space;
  const addresses = texts.map(parseIpv4);
  for (const n of addresses) {
    if (!ipv4InCidr(cidr, n) || isReservedIpv4(cidr, n)) {
      throw new DomainError('AddressInvalidForVSwitch', { address: formatIpv4(n), cidr: formatIpv4Cidr(cidr) });
    }
  }
  const seen = new Set<number>();
  for (const n of addresses) {
    if (seen.has(n)) throw new DomainError('AddressRepeated', { address: formatIpv4(n) });
    seen.add(n);
  }
  for (const n of addresses) {
    if (!space.isFree(n)) throw new DomainError('AddressInUse', { address: formatIpv4(n) });
  }
  return addresses.map(formatIpv4);
}
