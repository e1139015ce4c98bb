// `eniplane agent`: the guest agent. Runs inside the instance (or a lab
// namespace), reads the metadata service and configures the ENIs' addresses.
// Exit codes: 0 converged, 3 not converged (--once: an address could not be
// applied, an interface is missing, or the metadata service did not answer),
// 1 bad flags, 70 a bug.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from './config.ts';
import { Agent, type Log, type LogLevel } from '../agent/agent.ts';
import { MetadataClient } from '../agent/metadata-client.ts';
import { FilesApplier, FAULTS } from '../agent/apply-files.ts';
import { detectOs, supportedOsIds } from '../osconfig/index.ts';

const bool = z.preprocess((v) => v === true || v === 'true' || v === '1', z.boolean());

export const agentConfigSchema = z.object({
  once: bool,
  watch: bool,
  metadataUrl: z.string().regex(/^http:\/\/[^/\s]+\/?$/, 'expected http://host[:port]').default('http://100.100.100.200'),
  metadataSocket: z.string().min(1).optional(),
  /** local development: name the instance (the server must trust the header) */
  instanceId: z.string().min(1).optional(),
  mode: z.enum(['runtime', 'persistent']).default('runtime'),
  os: z.string().min(1).default('auto'),
  dryRun: bool,
  stateDir: z.string().min(1).default('/var/lib/eniplane-agent'),
  tokens: z.enum(['auto', 'off']).default('auto'),
  /** watch: full reconcile at least this often, ms */
  reconcileMs: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  /** watch: one long-poll waits at most this long, ms */
  waitMs: z.coerce.number().int().min(100).max(60_000).default(25_000),
  /** persistent: run this instead of the distro's restart command (e.g. where there is no systemd) */
  applyCommand: z.string().min(1).optional(),
  /** persistent: how long verification may retry before the files are rolled back, ms */
  verifyMs: z.coerce.number().int().min(500).max(120_000).default(10_000),
  /** persistent: root for the files, "/" on a real guest */
  root: z.string().min(1).default('/'),
  /** tests only: break the rendering on purpose to exercise the rollback */
  fault: z.enum(FAULTS).optional(),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
}).strict().superRefine((c, ctx) => {
  if (c.once && c.watch) ctx.addIssue({ code: 'custom', path: ['watch'], message: '--once and --watch exclude each other' });
  if (c.dryRun && c.watch) ctx.addIssue({ code: 'custom', path: ['dryRun'], message: '--dry-run runs once; drop --watch' });
  if (c.os !== 'auto' && !supportedOsIds().includes(c.os)) ctx.addIssue({ code: 'custom', path: ['os'], message: `unknown OS id; one of: auto, ${supportedOsIds().join(', ')}` });
});

export type AgentConfig = z.infer<typeof agentConfigSchema>;

const ENV: Partial<Record<keyof AgentConfig, string>> = {
  metadataUrl: 'ENIPLANE_AGENT_METADATA_URL', metadataSocket: 'ENIPLANE_AGENT_METADATA_SOCKET', instanceId: 'ENIPLANE_AGENT_INSTANCE_ID',
  mode: 'ENIPLANE_AGENT_MODE', os: 'ENIPLANE_AGENT_OS', stateDir: 'ENIPLANE_AGENT_STATE_DIR', tokens: 'ENIPLANE_AGENT_TOKENS',
  applyCommand: 'ENIPLANE_AGENT_APPLY_COMMAND', logLevel: 'ENIPLANE_AGENT_LOG_LEVEL',
};

export function resolveAgentConfig(flags: Record<string, unknown>, env: NodeJS.ProcessEnv): AgentConfig {
  const merged: Record<string, unknown> = {};
  for (const [k, name] of Object.entries(ENV)) if (env[name!]) merged[k] = env[name!];
  for (const [k, v] of Object.entries(flags)) if (v !== undefined) merged[k] = v;
  const r = agentConfigSchema.safeParse(merged);
  if (!r.success) throw new ConfigError(`invalid agent settings:\n${r.error.issues.map((i) => `  --${i.path.join('.') || '(config)'}: ${i.message}`).join('\n')}`);
  return r.data;
}

const LEVELS: LogLevel[] = ['debug', 'info', 'warn', 'error'];

function textLog(min: LogLevel): Log {
  const floor = LEVELS.indexOf(min);
  return (level, message) => {
    if (LEVELS.indexOf(level) < floor) return;
    process.stderr.write(`${new Date().toISOString()} agent ${level.padEnd(5)} ${message}\n`);
  };
}

function resolveOs(os: string, root: string): string {
  if (os !== 'auto') return os;
  let text: string;
  try {
    text = readFileSync(`${root.replace(/\/$/, '')}/etc/os-release`, 'utf8');
  } catch {
    throw new ConfigError('--os auto: cannot read /etc/os-release; name the OS with --os');
  }
  try {
    return detectOs(text);
  } catch (e) {
    throw new ConfigError(`--os auto: ${(e as Error).message}; name the OS with --os`);
  }
}

export function registerAgent(program: Command): void {
  program.command('agent')
    .description('configure this instance\'s ENI addresses from the metadata service (iproute2 now, distro files with --mode persistent)')
    .option('--once', 'reconcile one time and exit (the default)')
    .option('--watch', 'keep following the metadata service (long-poll; a full pass every --reconcile-ms)')
    .option('--metadata-url <url>', 'metadata service (ENIPLANE_AGENT_METADATA_URL)', undefined)
    .option('--metadata-socket <path>', 'metadata service on a Unix socket (needs --instance-id)', undefined)
    .option('--instance-id <id>', 'local development: name the instance (the server must run with --metadata-trust-instance-header)', undefined)
    .option('--mode <mode>', 'runtime (iproute2) | persistent (also the distro files)', undefined)
    .option('--os <id>', 'auto (from /etc/os-release) or an OS id from `eniplane render --list`', undefined)
    .option('--dry-run', 'print the plan, change nothing')
    .option('--state-dir <dir>', 'where the agent records what it added (default /var/lib/eniplane-agent)', undefined)
    .option('--tokens <auto|off>', 'use hardened-mode tokens when offered', undefined)
    .option('--reconcile-ms <ms>', 'watch: full pass at least this often', undefined)
    .option('--wait-ms <ms>', 'watch: longest single long-poll', undefined)
    .option('--apply-command <cmd>', 'persistent: run this instead of the distro restart command', undefined)
    .option('--verify-ms <ms>', 'persistent: how long verification may retry before rolling back (default 10000)', undefined)
    .option('--root <dir>', 'persistent: file system root for the distro files (default /)', undefined)
    .option('--fault <kind>', 'tests only: break the rendering on purpose', undefined)
    .option('--log-level <level>', 'debug|info|warn|error', undefined)
    .action(async (flags: Record<string, unknown>) => {
      const config = resolveAgentConfig(flags, process.env);
      if (config.metadataSocket && !config.instanceId) throw new ConfigError('--metadata-socket needs --instance-id (a socket carries no source address)');
      const log = textLog(config.logLevel);
      const client = new MetadataClient({ url: config.metadataUrl, socketPath: config.metadataSocket, instanceId: config.instanceId, tokens: config.tokens });
      const persistent = config.mode === 'persistent'
        ? new FilesApplier({ osId: resolveOs(config.os, config.root), root: config.root, stateDir: config.stateDir, client, log, applyCommand: config.applyCommand, fault: config.fault, verifyTimeoutMs: config.verifyMs, dryRun: config.dryRun, print: (l) => console.log(l) })
        : undefined;
      const abort = new AbortController();
      const agent = new Agent({
        client, stateDir: config.stateDir, dryRun: config.dryRun, persistent, reconcileMs: config.reconcileMs, waitMs: config.waitMs,
        log, print: (l) => console.log(l), signal: abort.signal,
      });
      if (!config.watch) {
        const r = await agent.once();
        if (!config.dryRun) {
          for (const e of r.errors) log('warn', e);
          log(r.converged ? 'info' : 'warn', r.converged ? `converged (version ${r.status.version})` : 'not converged');
        }
        process.exitCode = config.dryRun || r.converged ? 0 : 3;
        return;
      }
      const stop = () => abort.abort();
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      log('info', `watching ${client.describe()} (state in ${config.stateDir}, mode ${config.mode})`);
      await agent.watch();
      log('info', 'stopped');
    });
}
