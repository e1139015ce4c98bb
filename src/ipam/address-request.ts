// "N addresses, any" or "exactly these": the two shapes of an assign request,
// shared by IPv4 and IPv6. Checked here because the union type does not stop
// a caller from sending both or neither at run time.

import { invalidParameter } from '../domain/errors.ts';

export type AddressRequest = { count: number } | { addresses: string[] };

export type CheckedRequest = { kind: 'count'; count: number } | { kind: 'addresses'; addresses: readonly string[] };

export function checkRequest(request: AddressRequest): CheckedRequest {
  const hasCount = typeof request === 'object' && request !== null && 'count' in request && request.count !== undefined;
  const hasAddresses = typeof request === 'object' && request !== null && 'addresses' in request && request.addresses !== undefined;
  if (hasCount === hasAddresses) return fail('request', 'give either count or addresses');
  if (hasCount) {
    const { count } = request as { count: unknown };
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1) return fail('count', 'must be an integer >= 1');
    return { kind: 'count', count };
  }
  const { addresses } = request as { addresses: unknown };
  if (!Array.isArray(addresses) || addresses.length === 0) return fail('addresses', 'must be a non-empty list');
  return { kind: 'addresses', addresses };
}

function fail(name: string, reason: string): never {
  throw invalidParameter(name, reason);
}
