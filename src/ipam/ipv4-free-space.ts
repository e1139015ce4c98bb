// The free-space index of one vSwitch's IPv4 CIDR: one bit per address, set
// when the address is free. It is a hint the service keeps in memory and
// rebuilds from the database (which alone guarantees uniqueness); reserved
// addresses are never free, whatever is taken or released.

import { DomainError } from '../domain/errors.ts';
import { formatIpv4, formatIpv4Cidr, ipv4InCidr, isReservedIpv4, isUint32, usableIpv4Count, type Ipv4Cidr } from './ipv4.ts';
import { DenseBitmap, OverlayBitmap, type BitmapSearch } from './two-level-bitmap.ts';

/** What a search needs; both the index and a draft of it provide this. */
export interface Ipv4FreeSpaceView {
  readonly cidr: Ipv4Cidr;
  isFree(n: number): boolean;
  freeCount(): number;
  /** First free address at or after n, wrapping past the end to the start; undefined when none is free. */
  nextFreeAtOrAfter(n: number): number | undefined;
}

/** Bitmaps above a /8 would cost more memory than any vSwitch needs. */
const MIN_PREFIX = 8;

abstract class FreeSpaceSearch implements Ipv4FreeSpaceView {
  protected abstract readonly bits: BitmapSearch;
  constructor(readonly cidr: Ipv4Cidr) {}

  isFree(n: number): boolean {
    return ipv4InCidr(this.cidr, n) && this.bits.has(n - this.cidr.base);
  }

  freeCount(): number {
    return this.bits.count();
  }

  /** An n outside the CIDR starts the search at the CIDR's first address. */
  nextFreeAtOrAfter(n: number): number | undefined {
    const start = ipv4InCidr(this.cidr, n) ? n - this.cidr.base : 0;
    const offset = this.bits.nextSetAtOrAfter(start);
    return offset === undefined ? undefined : this.cidr.base + offset;
  }

  /** Offset of n in the bitmap, or undefined for a reserved address; throws for one outside the CIDR. */
  protected offsetOf(n: number): number | undefined {
    if (!ipv4InCidr(this.cidr, n)) {
      throw new DomainError('AddressInvalidForVSwitch', {
        address: isUint32(n) ? formatIpv4(n) : String(n),
        cidr: formatIpv4Cidr(this.cidr),
      });
    }
    return isReservedIpv4(this.cidr, n) ? undefined : n - this.cidr.base;
  }
}

export class Ipv4FreeSpace extends FreeSpaceSearch {
  protected readonly bits: DenseBitmap;

  /**
   * Every usable address starts free, then `taken` ones are marked. A taken
   * address outside the CIDR throws AddressInvalidForVSwitch (the rows it
   * came from are wrong); reserved ones are ignored, they are never free.
   */
  constructor(cidr: Ipv4Cidr, taken: Iterable<number> = []) {
    if (
      !Number.isInteger(cidr.prefixLength) ||
      cidr.prefixLength < MIN_PREFIX ||
      cidr.prefixLength > 30 ||
      cidr.size !== 2 ** (32 - cidr.prefixLength) ||
      !isUint32(cidr.base) ||
      cidr.base % cidr.size !== 0
    ) {
      const text = isUint32(cidr.base) ? formatIpv4Cidr(cidr) : `${cidr.base}/${cidr.prefixLength}`;
      throw new DomainError('CidrInvalid', { cidr: text, reason: `free-space index needs a network /${MIN_PREFIX}../30` });
    }
    super(cidr);
    this.bits = new DenseBitmap(cidr.size);
    this.bits.setRange(1, 1 + usableIpv4Count(cidr));
    for (const n of taken) this.take(n);
  }

  /** Marks n taken; idempotent; a reserved n is a no-op. */
  take(n: number): void {
    const offset = this.offsetOf(n);
    if (offset !== undefined) this.bits.clear(offset);
  }

  /** Marks n free again; idempotent; a reserved n stays not free. */
  release(n: number): void {
    const offset = this.offsetOf(n);
    if (offset !== undefined) this.bits.set(offset);
  }

  /**
   * A copy-on-write view for planning one request: taking on the draft never
   * touches this index, and costs nothing up front (no copy of the bitmap).
   * Valid while this index is not changed.
   */
  draft(): Ipv4FreeSpaceDraft {
    return new Ipv4FreeSpaceDraft(this.cidr, this.bits);
  }
}

export class Ipv4FreeSpaceDraft extends FreeSpaceSearch {
  protected readonly bits: OverlayBitmap;

  constructor(cidr: Ipv4Cidr, base: BitmapSearch) {
    super(cidr);
    this.bits = new OverlayBitmap(base);
  }

  take(n: number): void {
    const offset = this.offsetOf(n);
    if (offset !== undefined) this.bits.clear(offset);
  }
}
