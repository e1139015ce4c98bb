// A two-level bitmap: level 0 holds one bit per position in Uint32 words,
// level 1 ("summary") one bit per level-0 word, set when that word is not
// all zero. "Next set bit at or after i, wrapping" checks i's own word, then
// walks summary words (each covers 1024 positions) to the next non-empty
// word: at most size/1024 summary words, 64 for a /16, however full it is.
//
// Two implementations share the search: DenseBitmap owns its arrays;
// OverlayBitmap is a copy-on-write view that can only clear bits, used to plan
// a multi-address request without touching the index it was drawn from.

/** Index (0..31) of the lowest set bit of a non-zero word. */
function lowestBit(x: number): number {
  return 31 - Math.clz32(x & -x);
}

export abstract class BitmapSearch {
  abstract readonly bitCount: number;
  /** level-0 word i */
  abstract word(i: number): number;
  /** level-1 word j: bit b set ⇔ word(32·j + b) !== 0 */
  abstract summaryWord(j: number): number;
  /** number of set bits */
  abstract count(): number;

  get wordCount(): number {
    return Math.ceil(this.bitCount / 32);
  }

  has(i: number): boolean {
    return Number.isInteger(i) && i >= 0 && i < this.bitCount && ((this.word(Math.floor(i / 32)) >>> (i & 31)) & 1) === 1;
  }

  /** First set bit at or after `start` (0 ≤ start < bitCount), wrapping to 0; undefined when none is set. */
  nextSetAtOrAfter(start: number): number | undefined {
    const w = Math.floor(start / 32);
    const here = this.word(w) & (-1 << (start & 31));
    if (here !== 0) return w * 32 + lowestBit(here);
    // Wrapping lands back in word w, where only the bits below `start` can be set.
    const found = this.nextNonEmptyWord(w + 1, this.wordCount) ?? this.nextNonEmptyWord(0, w + 1);
    return found === undefined ? undefined : found * 32 + lowestBit(this.word(found));
  }

  /** First word index in [from, to) whose word is not zero, via the summary. */
  private nextNonEmptyWord(from: number, to: number): number | undefined {
    if (from >= to) return undefined;
    let j = Math.floor(from / 32);
    let bits = this.summaryWord(j) & (-1 << (from & 31));
    for (;;) {
      if (bits !== 0) {
        const w = j * 32 + lowestBit(bits);
        return w < to ? w : undefined;
      }
      j++;
      if (j * 32 >= to) return undefined;
      bits = this.summaryWord(j);
    }
  }
}

export class DenseBitmap extends BitmapSearch {
  readonly bitCount: number;
  private readonly words: Uint32Array;
  private readonly summary: Uint32Array;
  private setCount = 0;

  /** All bits clear. */
  constructor(bitCount: number) {
    super();
    this.bitCount = bitCount;
    this.words = new Uint32Array(Math.ceil(bitCount / 32));
    this.summary = new Uint32Array(Math.ceil(this.words.length / 32));
  }

  word(i: number): number {
    return this.words[i]!;
  }

  summaryWord(j: number): number {
    return this.summary[j]!;
  }

  count(): number {
    return this.setCount;
  }

  /** Sets every bit in [from, to): whole words at a time. */
  setRange(from: number, to: number): void {
    for (let i = from; i < to;) {
      if ((i & 31) === 0 && i + 32 <= to) {
        const w = i / 32;
        this.setCount += 32 - popcount(this.words[w]!);
        this.words[w] = 0xffffffff;
        this.summary[w >>> 5] |= 1 << (w & 31);
        i += 32;
      } else {
        this.set(i);
        i++;
      }
    }
  }

  set(i: number): void {
    const w = Math.floor(i / 32);
    const mask = 1 << (i & 31);
    const old = this.words[w]!;
    if ((old & mask) !== 0) return;
    this.words[w] = old | mask;
    this.summary[w >>> 5] |= 1 << (w & 31);
    this.setCount++;
  }

  clear(i: number): void {
    const w = Math.floor(i / 32);
    const mask = 1 << (i & 31);
    const old = this.words[w]!;
    if ((old & mask) === 0) return;
    const now = (old & ~mask) >>> 0;
    this.words[w] = now;
    if (now === 0) this.summary[w >>> 5] &= ~(1 << (w & 31));
    this.setCount--;
  }
}

/** Copy-on-write view of another bitmap that can only clear bits; the base is never written. */
export class OverlayBitmap extends BitmapSearch {
  readonly bitCount: number;
  /** word index → bits cleared in this overlay */
  private readonly clearedBits = new Map<number, number>();
  /** summary index → words emptied in this overlay */
  private readonly emptiedWords = new Map<number, number>();
  private clearedCount = 0;

  constructor(private readonly base: BitmapSearch) {
    super();
    this.bitCount = base.bitCount;
  }

  word(i: number): number {
    const cleared = this.clearedBits.get(i);
    const w = this.base.word(i);
    return cleared === undefined ? w : (w & ~cleared) >>> 0;
  }

  summaryWord(j: number): number {
    const emptied = this.emptiedWords.get(j);
    const s = this.base.summaryWord(j);
    return emptied === undefined ? s : (s & ~emptied) >>> 0;
  }

  count(): number {
    return this.base.count() - this.clearedCount;
  }

  clear(i: number): void {
    const w = Math.floor(i / 32);
    const mask = 1 << (i & 31);
    if ((this.word(w) & mask) === 0) return;
    this.clearedBits.set(w, (this.clearedBits.get(w) ?? 0) | mask);
    this.clearedCount++;
    if (this.word(w) === 0) {
      const j = w >>> 5;
      this.emptiedWords.set(j, (this.emptiedWords.get(j) ?? 0) | (1 << (w & 31)));
    }
  }
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}
