// The cloud-init switch file, judged by cloud-init 22.4 itself: its own
// config loader (cloud.cfg + cloud.cfg.d/*.cfg) and its own "is network
// config disabled" predicate, via test/fixtures/os-validation/cloud-init-disabled-check.sh.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listOs, render } from '../../src/osconfig/index.ts';
import { SEED_FACTS } from './support/facts-arb.ts';
import { makeTempDir, run } from './support/proc.ts';

const CHECK = new URL('../fixtures/os-validation/cloud-init-disabled-check.sh', import.meta.url).pathname;
const PATH = '/etc/cloud/cloud.cfg.d/99-disable-network-config.cfg';

describe('cloud-init switch file', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  before(() => {
    tmp = makeTempDir('cloudinit');
  });
  after(() => tmp.remove());

  const check = (content: string) => {
    const file = join(tmp.dir, `f${Math.random().toString(36).slice(2)}.cfg`);
    writeFileSync(file, content);
    return run(CHECK, [file], { timeoutMs: 30_000 });
  };

  it('cloud-init\'s own loader reads it as "network config disabled"', () => {
    const file = render('ubuntu-22.04', SEED_FACTS).files.find((f) => f.path === PATH)!;
    assert.equal(file.content, 'network: {config: disabled}\n', "the seed's line");
    const r = check(file.content);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /DISABLED/);
  });

  it('the check can fail: a typo is not disabled', () => {
    const r = check('network: {config: disable}\n');
    assert.equal(r.status, 1, r.stdout + r.stderr);
  });

  it('every Linux target writes it and backs it up first; Windows does not', () => {
    for (const os of listOs()) {
      const r = render(os.id, SEED_FACTS);
      const has = r.files.some((f) => f.path === PATH);
      assert.equal(has, os.family !== 'windows', os.id);
      if (has)
        assert.ok(
          r.commands.some((c) => c.stage === 'prepare' && c.run.includes(`[ -e ${PATH} ]`)),
          os.id,
        );
    }
  });
});
