// `eniplane serve` settings: one zod schema holding every default and unit.
// Flags win over ENIPLANE_* environment variables, which win over defaults;
// every problem is reported at once, before a port is bound.
import { z } from 'zod';

export const serveConfigSchema = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  data: z.string().min(1).default('./data'),
  /** sqlite:<file> (default: <data>/eniplane.db) or postgres://... */
  database: z.string().optional(),
  loose: z.coerce.boolean().default(false),
  /** async transition time for attach/detach/delete/start/stop, ms */
  transitionMs: z.coerce.number().int().min(0).max(60_000).default(300),
  /** private IPv4 per Available ENI, primary included */
  availableEniMaxIpv4: z.coerce.number().int().min(1).max(1000).default(10),
  availableEniMaxIpv6: z.coerce.number().int().min(1).max(1000).default(10),
  enisPerRegion: z.coerce.number().int().min(1).default(10000),
  /** JSON file with regions and zones, replacing the defaults */
  regions: z.string().optional(),
  labMode: z.coerce.boolean().default(false),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** the metadata service also listens here, when set (host:port, e.g. 100.100.100.200:80) */
  metadataListen: z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[^:\s]+):\d{1,5}$/, 'expected host:port').optional(),
  /** ... and/or on this Unix socket (mode 0600) */
  metadataSocket: z.string().min(1).optional(),
  /** honour X-Eniplane-Instance-Id naming the calling instance: local development only */
  metadataTrustInstanceHeader: z.preprocess((v) => v === true || v === 'true' || v === '1', z.boolean()),
  /** optional: tokens accepted; required: hardened-only, token-less GETs answer 403 */
  metadataTokens: z.enum(['optional', 'required']).default('optional'),
  /** request quotas: a JSON profile file, or "ecs" for the bundled profile (profiles/throttle-ecs.json); off when unset */
  throttle: z.string().min(1).optional(),
  /** fault rules loaded at start (replacing the stored set): a JSON file { seed, rules } */
  faults: z.string().min(1).optional(),
}).strict();

export type ServeConfig = z.infer<typeof serveConfigSchema>;

const ENV: Record<keyof ServeConfig, string> = {
  host: 'ENIPLANE_HOST', port: 'ENIPLANE_PORT', data: 'ENIPLANE_DATA', database: 'ENIPLANE_DATABASE_URL', loose: 'ENIPLANE_LOOSE',
  transitionMs: 'ENIPLANE_TRANSITION_MS', availableEniMaxIpv4: 'ENIPLANE_AVAILABLE_ENI_MAX_IPV4', availableEniMaxIpv6: 'ENIPLANE_AVAILABLE_ENI_MAX_IPV6',
  enisPerRegion: 'ENIPLANE_ENIS_PER_REGION', regions: 'ENIPLANE_REGIONS', labMode: 'ENIPLANE_LAB_MODE', logLevel: 'ENIPLANE_LOG_LEVEL',
  metadataListen: 'ENIPLANE_METADATA_LISTEN', metadataSocket: 'ENIPLANE_METADATA_SOCKET',
  metadataTrustInstanceHeader: 'ENIPLANE_METADATA_TRUST_INSTANCE_HEADER', metadataTokens: 'ENIPLANE_METADATA_TOKENS',
  throttle: 'ENIPLANE_THROTTLE', faults: 'ENIPLANE_FAULTS',
};

/** Merges flags over the environment and validates; throws a readable list of every problem. */
export function resolveServeConfig(flags: Record<string, unknown>, env: NodeJS.ProcessEnv): ServeConfig {
  const merged: Record<string, unknown> = {};
  for (const [key, envName] of Object.entries(ENV)) {
    const v = env[envName];
    if (v !== undefined && v !== '') merged[key] = key === 'loose' || key === 'labMode' ? v === 'true' || v === '1' : v;
  }
  for (const [k, v] of Object.entries(flags)) if (v !== undefined) merged[k] = v;
  const r = serveConfigSchema.safeParse(merged);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  --${i.path.join('.') || '(config)'}: ${i.message}`);
    throw new ConfigError(`invalid settings:\n${lines.join('\n')}`);
  }
  return r.data;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
