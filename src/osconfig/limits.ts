// Bounds the validator enforces, mirroring Alibaba Cloud where it has one.
// Kept here (not in src/domain) because osconfig may import only domain types.

/** largest private IPv4 count per ENI on any instance type (primary included) */
export const MAX_PRIVATE_IPV4_PER_ENI = 50;
/** largest IPv6 count per ENI on any instance type */
export const MAX_IPV6_PER_ENI = 50;
/** vSwitch IPv4 CIDR sizes Alibaba allows: /16 .. /29 */
export const MIN_IPV4_PREFIX_LENGTH = 16;
export const MAX_IPV4_PREFIX_LENGTH = 29;
/** generous: the largest instance types take 15 ENIs (device indexes 0..14) */
export const MAX_DEVICE_INDEX = 63;
/** glibc's resolver reads only the first three nameservers */
export const MAX_DNS_SERVERS = 3;
/** Linux IFNAMSIZ - 1: the longest interface name (and alias label like eth0:12) */
export const MAX_LINUX_IFNAME_LENGTH = 15;

/** secondary ENIs get their own route table, and a rule per address pointing to it */
export const POLICY_TABLE_BASE = 1000;
