// Resource id and MAC formats. Pure: randomness comes in as an Rng.
import type { Rng } from './ports.ts';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export type IdKind = 'eni' | 'i' | 'vpc' | 'vsw' | 'sg' | 'rg' | 'vrt' | 'vtb';

/** e.g. "eni-bp1k3x9q2m7c4v8n0z5a" — kind, the region's two-letter prefix, then 18 random characters */
export function newResourceId(kind: IdKind, regionPrefix: string, rng: Rng): string {
  let s = '';
  for (let i = 0; i < 18; i++) s += ALPHABET[rng(ALPHABET.length)];
  return `${kind}-${regionPrefix}${s}`;
}

/** Resource groups are account-wide: "rg-acfm" + 15 random characters, as in the console. */
export function newResourceGroupId(rng: Rng): string {
  let s = '';
  for (let i = 0; i < 15; i++) s += ALPHABET[rng(ALPHABET.length)];
  return `rg-acfm${s}`;
}

/** Alibaba's OUI 00:16:3e plus three random octets. */
export function newMacAddress(rng: Rng): string {
  const octets = [0x00, 0x16, 0x3e, rng(256), rng(256), rng(256)];
  return octets.map((o) => o.toString(16).padStart(2, '0')).join(':');
}

/** 16-digit numeric account id, as a string (OwnerId is a string on the wire). */
export function newAccountId(rng: Rng): string {
  let s = String(1 + rng(9));
  for (let i = 0; i < 15; i++) s += String(rng(10));
  return s;
}

/** AccessKey ids look like "LTAI" + 20 alphanumerics; secrets are 30. */
export function newAccessKeyPair(rng: Rng): { id: string; secret: string } {
  const pick = (n: number, alphabet: string) => {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[rng(alphabet.length)];
    return s;
  };
  const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return { id: `LTAI${pick(20, alnum)}`, secret: pick(30, alnum) };
}
