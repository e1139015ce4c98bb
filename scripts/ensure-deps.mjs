#!/usr/bin/env node
// Installs what is missing on a fresh machine before `npm start` / `npm test`:
// npm packages from the lockfile, the console build, and (with --test, as root)
// the Debian packages the real-tool tests use. Idempotent and quiet when all is there.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { execSync, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const withTest = process.argv.includes('--test');
const run = (cmd) => execSync(cmd, { cwd: root, stdio: 'inherit' });

function npmInstalled() {
  const lock = join(root, 'package-lock.json');
  const marker = join(root, 'node_modules', '.package-lock.json');
  return existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs - 1000;
}
if (!npmInstalled()) {
  console.error('[eniplane] installing npm packages (npm ci) ...');
  run('npm ci --no-audit --no-fund');
}

const consoleIndex = join(root, 'dist', 'console', 'index.html');
const consoleSrc = join(root, 'src', 'console', 'index.html');
// Rebuilt when any source it bundles is newer than the build, so `npm start` never serves a stale console.
const newest = (p) => {
  const st = statSync(p);
  return st.isDirectory() ? Math.max(st.mtimeMs, ...readdirSync(p).map((n) => newest(join(p, n)))) : st.mtimeMs;
};
const stale =
  existsSync(consoleIndex) &&
  Math.max(
    ...['src/console', 'src/ipam', 'src/domain', 'src/api/errors.ts']
      .map((p) => join(root, p))
      .filter(existsSync)
      .map(newest),
  ) > statSync(consoleIndex).mtimeMs;
if (existsSync(consoleSrc) && (!existsSync(consoleIndex) || stale)) {
  console.error('[eniplane] building the web console ...');
  run('npx vite build --config src/console/vite.config.ts --logLevel warn');
}

if (withTest && process.getuid?.() === 0) {
  const wanted = readFileSync(join(root, 'scripts', 'debian-packages.txt'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const missing = wanted.filter(
    (p) => spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' }).stdout?.includes('install ok installed') !== true,
  );
  if (missing.length > 0) {
    console.error(`[eniplane] installing Debian packages: ${missing.join(' ')}`);
    run('apt-get update -qq');
    run(`DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=300 ${missing.join(' ')}`);
  }
}
