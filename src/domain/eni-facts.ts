// The facts a renderer needs about one ENI as the guest sees it. Pure data; the
// CLI, the console endpoint and the agent build it (service/eni-facts.ts, or
// from the metadata service) and every renderer in src/osconfig takes only this.

export interface EniFacts {
  /** OS interface name, e.g. "eth0" (primary ENI) or "eth1" */
  interfaceName: string;
  /** lower-case MAC, "00:16:3e:12:34:56" */
  macAddress: string;
  /** the ENI's id, for comments ("eni-bp1...") */
  eniId?: string;
  /** true for the instance's primary ENI; a secondary ENI needs policy routing */
  isPrimaryEni: boolean;
  /** 0 for the primary ENI, 1.. for secondary ENIs; picks the policy route table (1000 + index) */
  deviceIndex: number;
  ipv4: {
    primary: string;
    secondaries: string[];
    /** vSwitch prefix length, 16..29 */
    prefixLength: number;
    gateway: string;
    /** vSwitch CIDR, e.g. "192.168.1.0/24" */
    cidrBlock: string;
  };
  ipv6?: {
    addresses: string[];
    /** 64 in practice */
    prefixLength: number;
    gateway: string;
    cidrBlock: string;
  };
  /**
   * The ENI's IP prefixes (CIDR text, IPv4 /28s and IPv6 /80s; an IPv6 one only
   * with the ipv6 section): rendered as local routes, so the guest answers on
   * every address inside them. Absent: none.
   */
  prefixes?: string[];
  /** DNS servers; Alibaba Cloud's are 100.100.2.136/100.100.2.138, the seed shows 223.5.5.5/223.6.6.6 */
  dnsServers: string[];
}
