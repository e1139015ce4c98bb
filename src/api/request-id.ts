// The RequestId of every answer: an upper-case UUID, as Alibaba's look. Only
// unique, never secret nor part of any rule, so it comes straight from Node's
// buffered UUID generator (the injected Rng would cost 16 draws a request).
import { randomUUID } from 'node:crypto';

export function newRequestId(): string {
  return randomUUID().toUpperCase();
}
