// The RequestId of every answer: an upper-case UUID, as Alibaba's look. Only
// unique, never secret nor part of any rule, so it comes straight from Node's
// buffered UUID generator, not from the injected Rng (one draw per hex digit).
import { randomUUID } from 'node:crypto';

export function newRequestId(): string {
  return randomUUID().toUpperCase();
}
