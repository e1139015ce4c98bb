// The eniplane command. Exit codes: 0 ok, 1 user error (bad flags, bad input),
// 70 a bug (anything unexpected), as changesets does.
import { Command, CommanderError } from 'commander';
import { ConfigError } from './config.ts';
import { registerServe } from './serve.ts';
import { registerAccounts } from './accounts.ts';
import { registerRender } from './render.ts';
import { registerAgent } from './agent.ts';
import { registerLab } from './lab.ts';
import { UserError } from './rpc-client.ts';

export async function main(argv: string[]): Promise<void> {
  const program = new Command('eniplane')
    .description('Self-hosted ENIs with secondary private IPs behind an ECS-compatible API')
    .exitOverride();
  registerServe(program);
  registerAccounts(program);
  registerRender(program);
  registerAgent(program);
  registerLab(program);
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
