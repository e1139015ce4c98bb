// `npm run bench`: every benchmark, one after the other, each printing its
// figures as ratios against a baseline measured in the same run. Pass names to
// run some: `npm run bench -- assign ipam-fill`.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const ALL = ['ipam-fill', 'prefix-fill', 'assign', 'wal-pages', 'paging', 'replicas', 'converge', 'chaos', 'scale'];
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : ALL;
let failed = 0;
for (const name of wanted) {
  const file = new URL(`./${name}.ts`, import.meta.url).pathname;
  if (!existsSync(file)) {
    console.log(`## bench/${name}: not present`);
    continue;
  }
  if (name === 'converge' && process.getuid?.() !== 0) {
    console.log('## bench/converge: needs root (network namespaces); skipped');
    continue;
  }
  // bench/scale builds a world of 1,000,000 addresses on each store (BENCH_SCALE_ADDRESSES for a smaller one).
  const timeout = (name === 'scale' ? 60 : 10) * 60_000;
  const r = spawnSync(process.execPath, ['--import', 'tsx', file], { stdio: 'inherit', timeout });
  if (r.status !== 0) {
    failed++;
    console.log(`## bench/${name} failed (${r.status ?? r.signal})`);
  }
}
process.exit(failed ? 1 : 0);
