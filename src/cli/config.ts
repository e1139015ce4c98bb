// `eniplane serve` settings, declared once (see settings.ts): flag, ENIPLANE_*
// twin, help, type, range and default in one row. Defaults that mirror the real
// cloud come from domain/limits.ts, so that file stays the one place they are named.
import { z } from 'zod';
import { DEFAULT_LIMITS, type Limits } from '../domain/limits.ts';
import { STORE_SETTINGS, defineSettings, switchSchema, type SettingsOf } from './settings.ts';

export { ConfigError } from './settings.ts';

const count = (dflt: number, max?: number) => {
  const n = z.coerce.number().int().min(1);
  return (max === undefined ? n : n.max(max)).default(dflt);
};

export const serveSettings = defineSettings('serve', {
  host: { flag: '--host <host>', env: 'ENIPLANE_HOST', help: 'address to listen on', schema: z.string().min(1).default('127.0.0.1') },
  port: {
    flag: '--port <port>',
    env: 'ENIPLANE_PORT',
    help: 'port, 0 for any free one',
    schema: z.coerce.number().int().min(0).max(65535).default(8080),
  },
  ...STORE_SETTINGS,
  loose: {
    flag: '--loose',
    env: 'ENIPLANE_LOOSE',
    help: 'accept undeclared parameters instead of InvalidParameter',
    schema: switchSchema(),
  },
  transitionMs: {
    flag: '--transition-ms <ms>',
    env: 'ENIPLANE_TRANSITION_MS',
    help: 'time an async attach/detach/delete/start/stop takes, ms (0 = immediate)',
    schema: z.coerce.number().int().min(0).max(60_000).default(DEFAULT_LIMITS.transitionMs),
  },
  availableEniMaxIpv4: {
    flag: '--available-eni-max-ipv4 <n>',
    env: 'ENIPLANE_AVAILABLE_ENI_MAX_IPV4',
    help: 'private IPv4 on an Available ENI, primary included',
    schema: count(DEFAULT_LIMITS.availableEniMaxIpv4, 1000),
  },
  availableEniMaxIpv6: {
    flag: '--available-eni-max-ipv6 <n>',
    env: 'ENIPLANE_AVAILABLE_ENI_MAX_IPV6',
    help: 'IPv6 on an Available ENI',
    schema: count(DEFAULT_LIMITS.availableEniMaxIpv6, 1000),
  },
  basicSecurityGroupIpCapacity: {
    flag: '--basic-security-group-ip-capacity <n>',
    env: 'ENIPLANE_BASIC_SECURITY_GROUP_IP_CAPACITY',
    help: 'private IPs (addresses and prefixes, one each) a basic security group holds (a Quota Center quota)',
    schema: count(DEFAULT_LIMITS.basicSecurityGroupIpCapacity, 65_536),
  },
  enisPerRegion: {
    flag: '--enis-per-region <n>',
    env: 'ENIPLANE_ENIS_PER_REGION',
    help: 'ENI quota per account and region',
    schema: count(DEFAULT_LIMITS.enisPerRegion),
  },
  regions: {
    flag: '--regions <file>',
    env: 'ENIPLANE_REGIONS',
    help: 'JSON file of regions and zones, replacing the defaults',
    schema: z.string().optional(),
  },
  labMode: { flag: '--lab-mode', env: 'ENIPLANE_LAB_MODE', help: 'only allow VPCs inside 198.18.0.0/15', schema: switchSchema() },
  logLevel: {
    flag: '--log-level <level>',
    env: 'ENIPLANE_LOG_LEVEL',
    help: 'fatal|error|warn|info|debug|trace|silent',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  },
  metadataListen: {
    flag: '--metadata-listen <host:port>',
    env: 'ENIPLANE_METADATA_LISTEN',
    help: 'also serve the instance metadata service here, e.g. 100.100.100.200:80',
    schema: z
      .string()
      .regex(/^(\[[0-9a-fA-F:.]+\]|[^:\s]+):\d{1,5}$/, 'expected host:port')
      .optional(),
  },
  metadataSocket: {
    flag: '--metadata-socket <path>',
    env: 'ENIPLANE_METADATA_SOCKET',
    help: 'also serve it on this Unix socket, mode 0600',
    schema: z.string().min(1).optional(),
  },
  metadataTrustInstanceHeader: {
    flag: '--metadata-trust-instance-header',
    env: 'ENIPLANE_METADATA_TRUST_INSTANCE_HEADER',
    help: 'development only: honour X-Eniplane-Instance-Id',
    schema: switchSchema(),
  },
  metadataTokens: {
    flag: '--metadata-tokens <mode>',
    env: 'ENIPLANE_METADATA_TOKENS',
    help: 'optional | required (hardened-only: token-less GETs answer 403)',
    schema: z.enum(['optional', 'required']).default('optional'),
  },
  throttle: {
    flag: '--throttle <file>',
    env: 'ENIPLANE_THROTTLE',
    help: 'request quotas: a JSON profile, or "ecs" for the bundled one (profiles/throttle-ecs.json); off when unset',
    schema: z.string().min(1).optional(),
  },
  faults: {
    flag: '--faults <file>',
    env: 'ENIPLANE_FAULTS',
    help: 'fault rules to start with, JSON { seed, rules } (replaces the stored set)',
    schema: z.string().min(1).optional(),
  },
});

export type ServeConfig = SettingsOf<typeof serveSettings.table>;

/** Merges flags over the environment and validates; throws a readable list of every problem. */
export function resolveServeConfig(flags: Record<string, unknown>, env: NodeJS.ProcessEnv): ServeConfig {
  return serveSettings.resolve(flags, env);
}

/** The limits a serve config sets: every Limits key it has a setting for, the rest from the domain. */
export function limitsOf(config: ServeConfig): Limits {
  const limits: Limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(limits) as (keyof Limits)[]) {
    const v = (config as Record<string, unknown>)[key];
    if (typeof v === 'number') limits[key] = v;
  }
  return limits;
}
