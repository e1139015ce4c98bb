// Limits that mirror the real cloud, named once. The cloud has changed some of
// them over the years (the Available-ENI cap went 10 → 50 → 49), so they are
// configurable; these defaults follow the seed document.

export interface Limits {
  /** private IPv4 addresses on an ENI in Available state, primary included */
  availableEniMaxIpv4: number;
  /** IPv6 addresses on an ENI in Available state */
  availableEniMaxIpv6: number;
  /** private IPs (all ENIs, all addresses) a basic ("normal") security group may hold */
  basicSecurityGroupIpCapacity: number;
  /** same for an enterprise (advanced) security group */
  enterpriseSecurityGroupIpCapacity: number;
  /** security groups one ENI may join */
  securityGroupsPerEni: number;
  /** ENIs one account may have in one region (MaxEniCountExceeded) */
  enisPerRegion: number;
  /** addresses one Assign request may name or count */
  maxAddressesPerRequest: number;
  /** how long an async ENI/instance transition (Attaching, Detaching, Deleting, Starting...) takes, ms; 0 = immediate */
  transitionMs: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  availableEniMaxIpv4: 10,
  availableEniMaxIpv6: 10,
  basicSecurityGroupIpCapacity: 2000,
  enterpriseSecurityGroupIpCapacity: 65536,
  securityGroupsPerEni: 5,
  enisPerRegion: 10000,
  maxAddressesPerRequest: 50,
  transitionMs: 300,
});

export const CLIENT_TOKEN_MAX_LENGTH = 64;
/** how long a ClientToken's result is remembered for retries */
export const CLIENT_TOKEN_TTL_MS = 24 * 3600 * 1000;
/** signature freshness window and nonce memory */
export const SIGNATURE_SKEW_MS = 15 * 60 * 1000;
/** Ipv4Prefix.N / Ipv4PrefixCount (and IPv6's) of one request: 1 to 10 (the SDK models) */
export const MAX_PREFIXES_PER_REQUEST = 10;
