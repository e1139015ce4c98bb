// The eniplane command. Exit codes: 0 ok, 1 user error (bad flags, bad input),
// 70 a bug (anything unexpected), as changesets does.
import { Command, CommanderError } from 'commander';
import { ConfigError } from './config.ts';
import { UserError } from './rpc-client.ts';

type Register = (program: Command) => void;

// Each command's module is loaded only when that command runs (all of them for
// --help): `eniplane agent` starts without loading the server, the store or the console.
const COMMANDS: Record<string, () => Promise<Register>> = {
  serve: async () => (await import('./serve.ts')).registerServe,
  accounts: async () => (await import('./accounts.ts')).registerAccounts,
  render: async () => (await import('./render.ts')).registerRender,
  agent: async () => (await import('./agent.ts')).registerAgent,
  lab: async () => (await import('./lab.ts')).registerLab,
  migrate: async () => (await import('./migrate.ts')).registerMigrate,
  faults: async () => (await import('./faults.ts')).registerFaults,
  keys: async () => (await import('./keys.ts')).registerKeys,
  audit: async () => (await import('./audit.ts')).registerAudit,
  state: async () => (await import('./state.ts')).registerState,
};

export async function main(argv: string[]): Promise<void> {
  const program = new Command('eniplane')
    .description('Self-hosted ENIs with secondary private IPs behind an ECS-compatible API')
    .exitOverride();
  const wanted = argv[2];
  const names = wanted !== undefined && wanted in COMMANDS ? [wanted] : Object.keys(COMMANDS);
  for (const name of names) (await COMMANDS[name]())(program);
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 1);
    if (e instanceof ConfigError || e instanceof UserError) {
      console.error(e.message);
      process.exit(1);
    }
    console.error(e);
    process.exit(70);
  }
}
