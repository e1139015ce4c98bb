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

/** Addresses in one IPv4 prefix block (an aligned /28). */
export const IPV4_BLOCK_SIZE = 16;

export class Ipv4FreeSpace extends FreeSpaceSearch {
  protected readonly bits: DenseBitmap;
  /**
   * One bit per aligned /28 of the CIDR, set when all 16 of its addresses are
   * free (so never for a block holding a reserved address): the prefix search
   * walks it like the address bitmap, flat however full the vSwitch is.
   * Empty for a CIDR smaller than a /28.
   */
  private readonly blocks: DenseBitmap;

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
    this.blocks = new DenseBitmap(Math.floor(cidr.size / IPV4_BLOCK_SIZE));
    for (let b = 0; b < this.blocks.bitCount; b++) if (this.blockAllFree(b)) this.blocks.set(b);
    for (const n of taken) this.take(n);
  }

  /** Whether the 16 bits of block b are all set (a block is half of one Uint32 word). */
  private blockAllFree(b: number): boolean {
    return ((this.bits.word(b >>> 1) >>> ((b & 1) * 16)) & 0xffff) === 0xffff;
  }

  /** Marks n taken; idempotent; a reserved n is a no-op. */
  take(n: number): void {
    const offset = this.offsetOf(n);
    if (offset === undefined) return;
    this.bits.clear(offset);
    if (this.blocks.bitCount > 0) this.blocks.clear(Math.floor(offset / IPV4_BLOCK_SIZE));
  }

  /** Marks n free again; idempotent; a reserved n stays not free. */
  release(n: number): void {
    const offset = this.offsetOf(n);
    if (offset === undefined) return;
    this.bits.set(offset);
    const b = Math.floor(offset / IPV4_BLOCK_SIZE);
    if (b < this.blocks.bitCount && this.blockAllFree(b)) this.blocks.set(b);
  }

  /** Aligned /28 blocks whose 16 addresses are all free. */
  freeBlockCount(): number {
    return this.blocks.count();
  }

  /** Number of aligned /28 blocks in the CIDR. */
  blockCount(): number {
    return this.blocks.bitCount;
  }

  /** Whether the aligned /28 starting at `first` lies in the CIDR with all 16 addresses free. */
  isBlockFree(first: number): boolean {
    if (!ipv4InCidr(this.cidr, first) || (first - this.cidr.base) % IPV4_BLOCK_SIZE !== 0) return false;
    const b = (first - this.cidr.base) / IPV4_BLOCK_SIZE;
    return b < this.blocks.bitCount && this.blocks.has(b);
  }

  /** First address of the first free block at or after block index `b` (wrapping); undefined when none. */
  nextFreeBlockAtOrAfter(b: number): number | undefined {
    if (this.blocks.bitCount === 0) return undefined;
    const found = this.blocks.nextSetAtOrAfter(b >= 0 && b < this.blocks.bitCount ? b : 0);
    return found === undefined ? undefined : this.cidr.base + found * IPV4_BLOCK_SIZE;
  }

  /** Marks all 16 addresses of the block starting at `first` taken. */
  takeBlock(first: number): void {
    for (let i = 0; i < IPV4_BLOCK_SIZE; i++) this.take(first + i);
  }

  /** Marks all 16 addresses of the block starting at `first` free again (reserved ones stay not free). */
  releaseBlock(first: number): void {
    for (let i = 0; i < IPV4_BLOCK_SIZE; i++) this.release(first + i);
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
