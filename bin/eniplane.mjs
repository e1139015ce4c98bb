#!/usr/bin/env -S node --max-semi-space-size=32
// The eniplane command. Sources are TypeScript run through tsx's loader, so the
// checkout works without a build step.
//
// The V8 flag above doubles the young generation (16 → 32 MiB a semi-space):
// under load every request in flight survives a scavenge and is copied, and
// fewer scavenges gave the server 3–5 % more requests per second
// (docs/performance.md). `npm start` runs this file through its shebang too,
// and test/support/server-process.ts reads the flags from here.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
