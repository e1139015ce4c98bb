// Generative requests over every served action against a real server process
// (issue: no input gets a 5xx or an answer outside Alibaba's shape). A bounded
// slice with a fixed seed; FUZZ_SEED / FUZZ_RUNS replay or widen it, and
// `node --import tsx scripts/fuzz.ts` runs the full 100,000.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { buildWorld, fuzz } from '../support/fuzz/run.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1500);

let server: ServerProcess;
before(async () => {
  server = await startServerProcess({ args: ['--transition-ms', '0'] });
});
after(async () => {
  await server.stop();
});

it(`${RUNS} generated requests over every action (seed ${SEED}): no 5xx, every answer Alibaba's JSON`, async () => {
  const world = await buildWorld(server.port, server.key);
  const stats = await fuzz({ port: server.port, key: server.key, world, seed: SEED, runs: RUNS });
  assert.equal(stats.requests, RUNS);
  // The generator must reach past validation, or it proves little: some requests succeed, most codes vary.
  assert.ok((stats.byStatus['200'] ?? 0) > RUNS / 50, `successes: ${JSON.stringify(stats.byStatus)}`);
  assert.ok(Object.keys(stats.byCode).length > 15, `codes seen: ${Object.keys(stats.byCode).join(' ')}`);
});
