// The package's entry: `import { startEniplane } from 'eniplane'` from any
// Node ≥ 20.6 process, with or without a TypeScript loader. The sources are
// TypeScript run through tsx (no build step), so when this process cannot load
// `.ts` yet, tsx's loader is registered (node:module register, through
// `tsx/esm/api`) before the harness is imported. A process that already loads
// TypeScript (`node --import tsx`, vitest) keeps its own loader, and its
// imports of src/*.ts and this entry share one copy of each module.
import { register } from 'tsx/esm/api';

async function typescriptLoads() {
  try {
    await import('./harness-probe.ts');
    return true;
  } catch (e) {
    if (e && e.code === 'ERR_UNKNOWN_FILE_EXTENSION') return false;
    throw e;
  }
}

if (!(await typescriptLoads())) register();
const harness = await import('./harness.ts');

export const startEniplane = harness.startEniplane;
