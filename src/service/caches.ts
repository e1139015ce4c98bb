// The per-process state of the request path, in one object: built by createDeps,
// reachable as deps.caches, cleared together by reset() (tests, or after the
// database was changed behind this process's back). Each entry is a hint or a
// memo: correctness lives in the database, so clearing any of them is safe.
// The vSwitch free-space bitmaps and CIDRs are deps.hints (AddressHints).
import type { KeyObject } from 'node:crypto';
import type { AccessKey } from '../store/store.ts';

export interface CachedAccessKey {
  key: AccessKey | undefined;
  until: number;
  /** the key's secret with the HMAC keys made from it (api/signing/secret.ts), set on first use */
  secret?: { readonly text: string; rpc?: KeyObject; acs3?: KeyObject };
}

export class ProcessCaches {
  /** AccessKeys by id (api/auth.ts), each fresh for ACCESS_KEY_CACHE_MS; emptied past ACCESS_KEY_CACHE_MAX entries. */
  readonly accessKeys = new Map<string, CachedAccessKey>();
  /**
   * When the next transition falls due, as far as this process knows (service/transitions.ts):
   * lowered by every transition started here or announced by another process (`lowered` counts
   * those), reset by every look at the database.
   */
  readonly nextDue = { ms: 0, lowered: 0 };
  /** Where this process's nonce sweep goes on (service/purge.ts); undefined until its random start. */
  nonceSweepCursor: number | undefined = undefined;

  reset(): void {
    this.accessKeys.clear();
    this.nextDue.ms = 0;
    this.nextDue.lowered++;
    this.nonceSweepCursor = undefined;
  }
}

export const ACCESS_KEY_CACHE_MS = 2000;
export const ACCESS_KEY_CACHE_MAX = 10_000;
