// What a command that works on the store directly (accounts, state) shares:
// the --data / --database settings and one store opened for one call.
import { openStore } from '../store/open-store.ts';
import { createDeps } from '../service/create-deps.ts';
import type { ServiceDeps } from '../service/deps.ts';
import { STORE_SETTINGS, defineSettings } from './settings.ts';

/** The command's store settings, and withDeps: opens the store they name, runs fn, closes the store. */
export function storeCommand(command: string) {
  const settings = defineSettings(command, STORE_SETTINGS);
  async function withDeps<T>(opts: { data?: string; database?: string }, fn: (deps: ServiceDeps) => Promise<T>): Promise<T> {
    const c = settings.resolve({ data: opts.data, database: opts.database }, process.env);
    const store = await openStore(c.database, c.data, { backgroundCheckpoints: false });
    try {
      return await fn(createDeps(store));
    } finally {
      await store.close();
    }
  }
  return { storeSettings: settings, withDeps };
}
