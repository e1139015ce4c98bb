// SUSE ifcfg files (SLES 11/12/15, openSUSE 15). wicked is not in Debian, so:
// `bash -n`, sourcing as the sysconfig scripts do, and the address set
// compared with cloud-init's own SUSE rendering of the same intent. Routes:
// cloud-init 22.4 writes none for SUSE and nothing here parses the routes /
// ifroute / ifrule syntax, so those are held to the seed's line and to the
// wicked man pages' column format by the parsers in support/parsers.ts.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { render } from '../../src/osconfig/index.ts';
import { eniFactsArb, expectedAddressSet, LAB_PRIMARY, LAB_SECONDARY } from './support/facts-arb.ts';
import { makeTempDir, runOk } from './support/proc.ts';
import { bashAddresses, cloudInitConvert, SLES_DIR, sourced, writeDir } from './support/ifcfg-tools.ts';

describe('SUSE ifcfg', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let cloudInit: string;
  before(() => {
    tmp = makeTempDir('sles');
    cloudInit = cloudInitConvert([LAB_PRIMARY, LAB_SECONDARY], 'sles', join(tmp.dir, 'cloud-init'));
  });
  after(() => tmp.remove());

  for (const facts of [LAB_PRIMARY, LAB_SECONDARY]) {
    it(`${facts.interfaceName} (${facts.isPrimaryEni ? 'primary' : 'secondary'} ENI, IPv4 + IPv6): bash reads it, cloud-init agrees`, () => {
      const dir = join(tmp.dir, `ours-${facts.eniId}`);
      writeDir(render('sles-15', facts), SLES_DIR, dir);
      const ifcfg = join(dir, `ifcfg-${facts.interfaceName}`);
      runOk('bash', ['-n', ifcfg]);
      const vars = sourced(ifcfg);
      assert.equal(vars.BOOTPROTO, 'static');
      assert.equal(vars.STARTMODE, 'auto');
      const ours = bashAddresses(dir, facts.interfaceName);
      assert.deepEqual(ours, expectedAddressSet(facts));
      assert.deepEqual(ours, bashAddresses(cloudInit, facts.interfaceName), 'same address set as cloud-init -D sles');
      if (facts.isPrimaryEni) {
        assert.match(readFileSync(join(dir, 'routes'), 'utf8'), /^default 198\.18\.0\.1 - -$/m);
      } else {
        assert.match(readFileSync(join(dir, `ifroute-${facts.interfaceName}`), 'utf8'), /^default 198\.18\.1\.1 - eth1 table 1001$/m);
        assert.match(
          readFileSync(join(dir, `ifrule-${facts.interfaceName}`), 'utf8'),
          /^ipv4 from 198\.18\.1\.11\/32 table 1001 priority 1001$/m,
        );
      }
    });
  }

  it('bash reads the files of random ENIs to exactly their addresses', () => {
    let n = 0;
    fc.assert(
      fc.property(eniFactsArb, (facts) => {
        const dir = join(tmp.dir, `p${n++}`);
        writeDir(render('opensuse-15', facts), SLES_DIR, dir);
        runOk('bash', ['-n', join(dir, `ifcfg-${facts.interfaceName}`)]);
        assert.deepEqual(bashAddresses(dir, facts.interfaceName), expectedAddressSet(facts));
      }),
      { numRuns: 12 },
    );
  });
});
