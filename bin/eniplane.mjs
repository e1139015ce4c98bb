#!/usr/bin/env node
// The eniplane command. Sources are TypeScript run through tsx's loader, so the
// checkout works without a build step.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
