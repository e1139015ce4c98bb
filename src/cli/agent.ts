// `eniplane agent`: the guest agent. Runs inside the instance (or a lab
// namespace), reads the metadata service and configures the ENIs' addresses.
// Exit codes: 0 converged, 3 not converged (--once: an address could not be
// applied, an interface is missing, or the metadata service did not answer),
// 1 bad flags, 70 a bug.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, defineSettings, switchSchema, type SettingsOf } from './settings.ts';
import { Agent, type Log, type LogLevel } from '../agent/agent.ts';
import { MetadataClient } from '../agent/metadata-client.ts';
import { FilesApplier, FAULTS } from '../agent/apply-files.ts';
import { detectOs, supportedOsIds } from '../osconfig/index.ts';

export const agentSettings = defineSettings(
  'agent',
  {
    once: { flag: '--once', help: 'reconcile one time and exit (the default)', schema: switchSchema() },
    watch: {
      flag: '--watch',
      help: 'keep following the metadata service (long-poll; a full pass every --reconcile-ms)',
      schema: switchSchema(),
    },
    metadataUrl: {
      flag: '--metadata-url <url>',
      env: 'ENIPLANE_AGENT_METADATA_URL',
      help: 'metadata service',
      schema: z
        .string()
        .regex(/^http:\/\/[^/\s]+\/?$/, 'expected http://host[:port]')
        .default('http://100.100.100.200'),
    },
    metadataSocket: {
      flag: '--metadata-socket <path>',
      env: 'ENIPLANE_AGENT_METADATA_SOCKET',
      help: 'metadata service on a Unix socket (needs --instance-id)',
      schema: z.string().min(1).optional(),
    },
    instanceId: {
      flag: '--instance-id <id>',
      env: 'ENIPLANE_AGENT_INSTANCE_ID',
      help: 'local development: name the instance (the server must run with --metadata-trust-instance-header)',
      schema: z.string().min(1).optional(),
    },
    mode: {
      flag: '--mode <mode>',
      env: 'ENIPLANE_AGENT_MODE',
      help: 'runtime (iproute2) | persistent (also the distro files)',
      schema: z.enum(['runtime', 'persistent']).default('runtime'),
    },
    os: {
      flag: '--os <id>',
      env: 'ENIPLANE_AGENT_OS',
      help: 'auto (from /etc/os-release) or an OS id from `eniplane render --list-os`',
      schema: z.string().min(1).default('auto'),
    },
    dryRun: { flag: '--dry-run', help: 'print the plan, change nothing', schema: switchSchema() },
    stateDir: {
      flag: '--state-dir <dir>',
      env: 'ENIPLANE_AGENT_STATE_DIR',
      help: 'where the agent records what it added',
      schema: z.string().min(1).default('/var/lib/eniplane-agent'),
    },
    tokens: {
      flag: '--tokens <auto|off>',
      env: 'ENIPLANE_AGENT_TOKENS',
      help: 'use hardened-mode tokens when offered',
      schema: z.enum(['auto', 'off']).default('auto'),
    },
    reconcileMs: {
      flag: '--reconcile-ms <ms>',
      help: 'watch: full pass at least this often, ms',
      schema: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
    },
    waitMs: {
      flag: '--wait-ms <ms>',
      help: 'watch: longest single long-poll, ms',
      schema: z.coerce.number().int().min(100).max(60_000).default(25_000),
    },
    applyCommand: {
      flag: '--apply-command <cmd>',
      env: 'ENIPLANE_AGENT_APPLY_COMMAND',
      help: 'persistent: run this instead of the distro restart command (e.g. where there is no systemd)',
      schema: z.string().min(1).optional(),
    },
    verifyMs: {
      flag: '--verify-ms <ms>',
      help: 'persistent: how long verification may retry before the files are rolled back, ms',
      schema: z.coerce.number().int().min(500).max(120_000).default(10_000),
    },
    settleMs: {
      flag: '--settle-ms <ms>',
      help: 'persistent: after the apply command, how long to wait for the network daemon to settle (systemd-networkd-wait-online, the addresses) before verifying, ms',
      schema: z.coerce.number().int().min(0).max(300_000).default(30_000),
    },
    root: {
      flag: '--root <dir>',
      help: 'persistent: file system root for the distro files, "/" on a real guest',
      schema: z.string().min(1).default('/'),
    },
    fault: { flag: '--fault <kind>', help: 'tests only: break the rendering on purpose', schema: z.enum(FAULTS).optional() },
    logLevel: {
      flag: '--log-level <level>',
      env: 'ENIPLANE_AGENT_LOG_LEVEL',
      help: 'debug|info|warn|error',
      schema: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    },
  },
  (c, issue) => {
    if (c.once && c.watch) issue('watch', '--once and --watch exclude each other');
    if (c.dryRun && c.watch) issue('dryRun', '--dry-run runs once; drop --watch');
    if (c.os !== 'auto' && !supportedOsIds().includes(c.os)) issue('os', `unknown OS id; one of: auto, ${supportedOsIds().join(', ')}`);
  },
);

export type AgentConfig = SettingsOf<typeof agentSettings.table>;

export function resolveAgentConfig(flags: Record<string, unknown>, env: NodeJS.ProcessEnv): AgentConfig {
  return agentSettings.resolve(flags, env);
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
  agentSettings
    .register(
      program
        .command('agent')
        .description(
          "configure this instance's ENI addresses from the metadata service (iproute2 now, distro files with --mode persistent)",
        ),
    )
    .action(async (flags: Record<string, unknown>) => {
      const config = resolveAgentConfig(flags, process.env);
      if (config.metadataSocket && !config.instanceId)
        throw new ConfigError('--metadata-socket needs --instance-id (a socket carries no source address)');
      const log = textLog(config.logLevel);
      const client = new MetadataClient({
        url: config.metadataUrl,
        socketPath: config.metadataSocket,
        instanceId: config.instanceId,
        tokens: config.tokens,
      });
      const persistent =
        config.mode === 'persistent'
          ? new FilesApplier({
              osId: resolveOs(config.os, config.root),
              root: config.root,
              stateDir: config.stateDir,
              client,
              log,
              applyCommand: config.applyCommand,
              fault: config.fault,
              verifyTimeoutMs: config.verifyMs,
              settleTimeoutMs: config.settleMs,
              dryRun: config.dryRun,
              print: (l) => console.log(l),
            })
          : undefined;
      const abort = new AbortController();
      const agent = new Agent({
        client,
        stateDir: config.stateDir,
        dryRun: config.dryRun,
        persistent,
        reconcileMs: config.reconcileMs,
        waitMs: config.waitMs,
        log,
        print: (l) => console.log(l),
        signal: abort.signal,
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
