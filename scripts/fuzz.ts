// The full generative run of issue 12: `node --import tsx scripts/fuzz.ts
// [--runs 100000] [--seed N] [--database postgres://...]` against a real server
// process; prints the seed and the answers by status and code, exits 1 on the
// first answer that is a 5xx or not Alibaba's JSON (shrunk to a small request).
// Traffic to 127.0.0.1 only; bounded by --runs.
import { parseArgs } from 'node:util';
import { startServerProcess } from '../test/support/server-process.ts';
import { buildWorld, fuzz } from '../test/support/fuzz/run.ts';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '100000' }, seed: { type: 'string' }, database: { type: 'string' } },
});
const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const runs = Number(values.runs);
console.log(`fuzz: seed ${seed}, ${runs} requests${values.database ? `, ${values.database.replace(/:[^:@/]*@/, ':***@')}` : ', SQLite'}`);
const server = await startServerProcess({ args: ['--transition-ms', '0', ...(values.database ? ['--database', values.database] : [])] });
const started = performance.now();
try {
  const world = await buildWorld(server.port, server.key);
  const stats = await fuzz({ port: server.port, key: server.key, world, seed, runs });
  const secs = (performance.now() - started) / 1000;
  console.log(`fuzz: ${stats.requests} requests in ${secs.toFixed(0)} s, 0 out of shape`);
  console.log(`  by status: ${JSON.stringify(stats.byStatus)}`);
  console.log(
    `  by code:   ${Object.entries(stats.byCode)
      .sort((a, b) => b[1] - a[1])
      .map(([c, n]) => `${c} ${n}`)
      .join(', ')}`,
  );
} catch (e) {
  console.error(`fuzz: FAILED (replay with --seed ${seed})\n${(e as Error).message}`);
  process.exitCode = 1;
} finally {
  await server.stop();
}
