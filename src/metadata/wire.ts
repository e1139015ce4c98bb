// The metadata service's own extensions on the wire, shared by the server and
// the agent: header names, the interfaces snapshot document, the agent's
// status report. The IMDS paths themselves are in tree.ts.
import { z } from 'zod';

/** IMDS hardened mode: PUT /latest/api/token with this header (seconds) ... */
export const TOKEN_TTL_HEADER = 'x-aliyun-ecs-metadata-token-ttl-seconds';
/** ... then every request carries the token in this one. */
export const TOKEN_HEADER = 'x-aliyun-ecs-metadata-token';
/** Local development only (server flag): names the instance instead of the source address. */
export const INSTANCE_ID_HEADER = 'x-eniplane-instance-id';

export const SNAPSHOT_PATH = '/eniplane/v1/interfaces';
export const STATUS_PATH = '/eniplane/v1/status';

/** long-poll bounds, ms */
export const DEFAULT_WAIT_MS = 25_000;
export const MAX_WAIT_MS = 60_000;

const ipv4 = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}$/);
const ipv6 = z
  .string()
  .regex(/^[0-9a-fA-F:.]+$/)
  .refine((s) => s.includes(':'));

export const snapshotInterfaceSchema = z.object({
  mac: z.string().regex(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/),
  networkInterfaceId: z.string().min(1),
  deviceIndex: z.number().int().min(0).max(255),
  primary: z.boolean(),
  primaryIpAddress: ipv4,
  privateIpv4s: z.array(ipv4).min(1),
  prefixLength: z.number().int().min(1).max(32),
  netmask: ipv4,
  gateway: ipv4,
  vswitchId: z.string(),
  vswitchCidrBlock: z.string(),
  vpcId: z.string(),
  vpcCidrBlock: z.string(),
  ipv6s: z.array(ipv6),
  /** IP prefixes (CIDR text); absent from snapshots of older servers */
  ipv4Prefixes: z.array(z.string()).default([]),
  ipv6Prefixes: z.array(z.string()).default([]),
  ipv6Gateway: ipv6.nullable(),
  vswitchIpv6CidrBlock: z.string().nullable(),
  vpcIpv6CidrBlock: z.string().nullable(),
});

export const snapshotSchema = z.object({
  version: z.string().min(1),
  instanceId: z.string().min(1),
  interfaces: z.array(z.unknown()),
});

export const agentStatusSchema = z.object({
  /** the snapshot version the agent applied */
  version: z.string().max(64),
  mode: z.enum(['runtime', 'persistent']),
  /** every desired address is configured */
  ok: z.boolean(),
  reportedAtMs: z.number().int().nonnegative(),
  interfaces: z
    .array(
      z.object({
        mac: z.string().max(32),
        networkInterfaceId: z.string().max(64),
        /** the local interface carrying the MAC, null when it is not (yet) there */
        ifname: z.string().max(32).nullable(),
        addresses: z
          .array(
            z.object({
              address: z.string().max(64),
              family: z.union([z.literal(4), z.literal(6)]),
              configured: z.boolean(),
            }),
          )
          .max(128),
      }),
    )
    .max(64),
  persistent: z
    .object({
      state: z.enum(['applied', 'unchanged', 'rolled-back', 'failed']),
      message: z.string().max(4000),
    })
    .optional(),
  errors: z.array(z.string().max(2000)).max(20),
});

export type AgentStatus = z.infer<typeof agentStatusSchema>;
