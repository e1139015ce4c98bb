// The agent's three views of the network, all plain data:
//   desired   what the metadata service says this instance's ENIs hold
//   actual    what the kernel has now (parsed from `ip -json`)
//   ownership what the agent itself added (kept in --state-dir): the only
//             things it will ever remove
// and the steps a plan is made of.

export type Family = 4 | 6;

/** the main routing table's number */
export const MAIN_TABLE = 254;

export interface DesiredInterface {
  /** lower case */
  mac: string;
  networkInterfaceId: string;
  deviceIndex: number;
  /** the instance's primary ENI: default routes in the main table; others get policy routing */
  primary: boolean;
  ipv4: {
    primary: string;
    secondaries: string[];
    prefixLength: number;
    gateway: string;
    /** the vSwitch CIDR */
    cidr: string;
  };
  ipv6: {
    addresses: string[];
    prefixLength: number;
    /** null when the vSwitch has no IPv6 */
    gateway: string | null;
    cidr: string | null;
  };
  /**
   * The ENI's IP prefixes (CIDR text), absent when none. Runtime mode leaves
   * them to the guest (it adds and removes nothing inside them); persistent
   * mode renders them as local routes (osconfig).
   */
  prefixes?: string[];
}

/**
 * `complete`: the metadata service answered and every interface checked out.
 * `partial`: it answered, but something was malformed: apply what is good,
 * remove nothing. `unavailable`: no answer (error, timeout): change nothing.
 */
export type Desired =
  | { kind: 'complete'; version: string; interfaces: DesiredInterface[] }
  | { kind: 'partial'; version: string; interfaces: DesiredInterface[]; problems: string[] }
  | { kind: 'unavailable'; reason: string };

export interface ActualAddress {
  family: Family;
  /** canonical text */
  address: string;
  prefixLength: number;
  /** the kernel's "secondary" flag (IPv4): deleting a non-secondary one may take the others with it */
  secondary: boolean;
}

export interface ActualLink {
  ifname: string;
  /** lower case */
  mac: string;
  up: boolean;
  /** global-scope addresses only (no link-local, no loopback) */
  addresses: ActualAddress[];
}

export interface ActualRule {
  family: Family;
  priority: number;
  src: string;
  srcLen: number;
  table: number;
}

export interface ActualRoute {
  family: Family;
  table: number;
  /** "default" or a canonical CIDR */
  dst: string;
  gateway?: string;
  dev: string;
}

export interface Actual {
  links: ActualLink[];
  rules: ActualRule[];
  routes: ActualRoute[];
}

export interface OwnedAddress {
  mac: string;
  family: Family;
  address: string;
  prefixLength: number;
}
export interface OwnedRule {
  family: Family;
  src: string;
  table: number;
  priority: number;
}
export interface OwnedRoute {
  family: Family;
  table: number;
  dst: string;
  gateway?: string;
  mac: string;
}

export interface Ownership {
  addresses: OwnedAddress[];
  rules: OwnedRule[];
  routes: OwnedRoute[];
}

export const NO_OWNERSHIP: Ownership = Object.freeze({ addresses: [], rules: [], routes: [] }) as Ownership;

export type Step =
  | { op: 'link-up'; ifname: string; mac: string }
  /** net.ipv4.conf.<if>.promote_secondaries=1 before deleting a primary-flagged address others share a subnet with */
  | { op: 'promote-secondaries'; ifname: string }
  | { op: 'addr-add' | 'addr-del'; ifname: string; mac: string; family: Family; address: string; prefixLength: number }
  | { op: 'route-replace' | 'route-del'; family: Family; table: number; dst: string; gateway?: string; ifname: string; mac: string }
  | { op: 'rule-add' | 'rule-del'; family: Family; src: string; table: number; priority: number };

export interface Plan {
  steps: Step[];
  /** what the agent owns once every step has succeeded */
  owned: Ownership;
  /** desired interfaces (MACs) with no local link yet: nothing can be done for them now */
  missingLinks: string[];
  /** removals were held back: the desired state is partial or unknown */
  removalsSuppressed: boolean;
}
