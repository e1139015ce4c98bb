// Settings declared once (src/cli/settings.ts): one table row gives the flag,
// its ENIPLANE_* twin, the help text and the validation, and the defaults that
// mirror the cloud come from domain/limits.ts.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { limitsOf, resolveServeConfig, serveSettings } from '../../src/cli/config.ts';
import { agentSettings } from '../../src/cli/agent.ts';
import { migrateSettings } from '../../src/cli/migrate.ts';
import { ConfigError, defineSettings, switchSchema } from '../../src/cli/settings.ts';
import { DEFAULT_LIMITS } from '../../src/domain/limits.ts';
import { z } from 'zod';

it('serve defaults for the cloud limits are the domain constants, and reach the limits unchanged', () => {
  const c = resolveServeConfig({}, {});
  assert.equal(c.transitionMs, DEFAULT_LIMITS.transitionMs);
  assert.equal(c.availableEniMaxIpv4, DEFAULT_LIMITS.availableEniMaxIpv4);
  assert.equal(c.availableEniMaxIpv6, DEFAULT_LIMITS.availableEniMaxIpv6);
  assert.equal(c.enisPerRegion, DEFAULT_LIMITS.enisPerRegion);
  assert.equal(c.basicSecurityGroupIpCapacity, DEFAULT_LIMITS.basicSecurityGroupIpCapacity);
  assert.deepEqual(limitsOf(c), DEFAULT_LIMITS);
  const set = limitsOf(resolveServeConfig({ transitionMs: '0' }, { ENIPLANE_AVAILABLE_ENI_MAX_IPV4: '50' }));
  assert.deepEqual(set, { ...DEFAULT_LIMITS, transitionMs: 0, availableEniMaxIpv4: 50 });
});

it('every row: one ENIPLANE_* twin, unique across serve, and named in the help with its default', () => {
  const cmd = serveSettings.register(new Command('serve'));
  const envs = Object.values(serveSettings.table)
    .map((d) => d.env)
    .filter(Boolean);
  assert.equal(new Set(envs).size, envs.length);
  for (const e of envs) assert.match(e!, /^ENIPLANE_[A-Z0-9_]+$/);
  const help = cmd.helpInformation();
  for (const [key, def] of Object.entries(serveSettings.table)) {
    assert.ok(help.includes(def.flag.split(' ')[0]), `${key} has its flag`);
    if (def.env) assert.ok(help.includes(def.env), `${key}'s help names ${def.env}`);
  }
  assert.match(help, new RegExp(`--transition-ms <ms>.*default ${DEFAULT_LIMITS.transitionMs}`, 's'));
});

it('switches from the environment: true and 1 count, anything else is off; a flag wins', () => {
  assert.equal(resolveServeConfig({}, { ENIPLANE_LOOSE: '1' }).loose, true);
  assert.equal(resolveServeConfig({}, { ENIPLANE_LAB_MODE: 'true' }).labMode, true);
  assert.equal(resolveServeConfig({}, { ENIPLANE_LAB_MODE: 'no' }).labMode, false);
  assert.equal(resolveServeConfig({ loose: true }, {}).loose, true);
});

it('commands share the store settings: data and database from the same flags and environment', () => {
  const m = migrateSettings.resolve({}, { ENIPLANE_DATA: '/srv/x', ENIPLANE_DATABASE_URL: 'sqlite:/srv/x/e.db' });
  assert.equal(m.data, '/srv/x');
  assert.equal(m.database, 'sqlite:/srv/x/e.db');
  assert.throws(
    () => migrateSettings.resolve({ database: 'mysql://x' }, {}),
    (e: unknown) => e instanceof ConfigError && /--database \/ ENIPLANE_DATABASE_URL: unsupported URL/.test(e.message),
  );
});

it('cross-setting rules are reported with the rest, all at once', () => {
  assert.throws(
    () => agentSettings.resolve({ once: true, watch: true, waitMs: '5' }, {}),
    (e: unknown) =>
      e instanceof ConfigError && /--watch: --once and --watch exclude each other/.test(e.message) && /--wait-ms/.test(e.message),
  );
});

it('repeatable flags collect in order; unknown keys are refused (strict)', () => {
  const s = defineSettings('t', {
    arg: { flag: '--arg <a>', help: 'x', schema: z.array(z.string()).default([]), repeatable: true },
    on: { flag: '--on', help: 'y', schema: switchSchema() },
  });
  const cmd = s.register(new Command('t').exitOverride());
  cmd.parse(['--arg', 'a', '--arg', 'b', '--on'], { from: 'user' });
  assert.deepEqual(s.resolve(cmd.opts(), {}), { arg: ['a', 'b'], on: true });
  assert.throws(() => s.resolve({ nope: 1 }, {}), ConfigError);
});
