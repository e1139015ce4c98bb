// Address math and allocation (pure: no I/O, no clock, randomness via Rng).

export * from './ipv4.ts';
export * from './ipv4-free-space.ts';
export * from './allocate-ipv4.ts';
export * from './ipv6.ts';
export * from './ipv6-reserved.ts';
export * from './allocate-ipv6.ts';
export * from './random-ipv6-block.ts';
export type { AddressRequest } from './address-request.ts';
export * from './allocate-prefix.ts';
