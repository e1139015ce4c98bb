// Signature comparison that does not leak, through timing, how many leading
// characters of a forged signature were right. Signatures are ASCII (lower
// hex for ACS3, base64 for RPC), so comparing UTF-8 bytes is exact.
import { timingSafeEqual } from 'node:crypto';

export function constantTimeEqual(provided: string, expected: string): boolean {
  const a = Buffer.from(provided, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  if (a.length !== b.length) {
    // timingSafeEqual needs equal lengths. Still do one comparison of the same
    // size so a wrong-length guess costs about as much as a right-length one;
    // the length itself is public (hex/base64 of a fixed-size digest).
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}
