// `eniplane state export|import`: every account's resources as one JSON
// snapshot (service/state.ts), read from or written to the store directly
// (run it where the server's data lives: the same --data / --database).
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { exportState, formatState, importState, stateJsonSchema, StateError } from '../service/state.ts';
import { ConfigError } from './settings.ts';
import { storeCommand } from './store-command.ts';

const { storeSettings, withDeps } = storeCommand('state');

/** A snapshot or seed file, parsed; a bad one is the user's error. */
function readStateFile(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(`cannot read ${file}: ${(e as Error).message}`);
  }
}

export function registerState(program: Command): void {
  const state = program.command('state').description("export or import every account's resources as a JSON snapshot");
  storeSettings
    .register(state.command('export').description('write the snapshot (stable ids and order; no secrets) to stdout or --out'))
    .option('--out <file>', 'write here instead of stdout')
    .action(async (o: { data?: string; database?: string; out?: string }) => {
      const text = formatState(await withDeps(o, exportState));
      if (o.out) writeFileSync(o.out, text);
      else process.stdout.write(text);
    });
  state
    .command('schema')
    .description('print the JSON Schema of snapshot and seed files (docs/state.schema.json)')
    .action(() => {
      process.stdout.write(formatState(stateJsonSchema()));
    });
  storeSettings
    .register(state.command('import <file>').description('load a snapshot or seed into a store holding no resources, in one transaction'))
    .option('--json', 'JSON output')
    .action(async (file: string, o: { data?: string; database?: string; json?: boolean }) => {
      const raw = readStateFile(file);
      let report;
      try {
        report = await withDeps(o, (deps) => importState(deps, raw));
      } catch (e) {
        if (e instanceof StateError)
          throw new ConfigError(`cannot import ${file}:\n${e.issues.map((i) => `  ${i.path || '(store)'}: ${i.message}`).join('\n')}`);
        throw e;
      }
      if (o.json) return console.log(JSON.stringify(report));
      console.log(`imported ${report.resources} resource(s) in ${report.accounts} account(s)`);
      for (const k of report.createdKeys)
        console.log(
          `  account ${k.account} (${k.accountId}) created; AccessKey ${k.accessKeyId} secret ${k.accessKeySecret}  (printed once)`,
        );
    });
}
