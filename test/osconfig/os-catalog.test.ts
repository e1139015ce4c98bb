// The OS catalogue: the ids of the issue mapped to targets exactly as the seed
// groups them, /etc/os-release detection, and the typed error for the rest.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { detectOs, listOs, render, UnsupportedOsError } from '../../src/osconfig/index.ts';
import { SEED_FACTS } from './support/facts-arb.ts';

const EXPECTED: Record<string, string[]> = {
  nmcli: ['nmcli'],
  // seed, RHEL series: Alibaba Cloud Linux 2/3, CentOS 6/7/8, Red Hat 6/7/8/9, Anolis 7/8, Fedora 33/34/35
  'rhel-ifcfg': [
    'alinux-2',
    'alinux-3',
    'anolis-7',
    'anolis-8',
    'centos-6',
    'centos-7',
    'centos-8',
    'fedora-33',
    'fedora-34',
    'fedora-35',
    'rhel-6',
    'rhel-7',
    'rhel-8',
    'rhel-9',
  ],
  'netplan-gateway4': ['ubuntu-18.04', 'ubuntu-20.04'],
  'netplan-default-route': ['debian-12', 'ubuntu-22.04', 'ubuntu-24.04'],
  ifupdown: ['debian-10', 'debian-11', 'debian-8', 'debian-9', 'ubuntu-14.04', 'ubuntu-16.04'],
  // seed, SLES series: SUSE Linux 11/12/15, openSUSE 15
  'sles-ifcfg': ['opensuse-15', 'sles-11', 'sles-12', 'sles-15'],
  windows: ['windows-2016', 'windows-2019', 'windows-2022'],
};

const osRelease = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([k, v]) => `${k}="${v}"`)
    .join('\n') + '\n';

describe('OS catalogue', () => {
  it("has exactly the ids of the issue, each on the seed's target", () => {
    const byTarget: Record<string, string[]> = {};
    for (const os of listOs()) (byTarget[os.target] ??= []).push(os.id);
    for (const ids of Object.values(byTarget)) ids.sort();
    assert.deepEqual(byTarget, EXPECTED);
    for (const os of listOs()) assert.equal(render(os.id, SEED_FACTS).target, os.target);
  });

  it('an unknown id is a typed error listing every supported id', () => {
    assert.throws(
      () => render('ubuntu-23.10', SEED_FACTS),
      (e: unknown) => {
        assert.ok(e instanceof UnsupportedOsError);
        assert.equal(e.code, 'UnsupportedOs');
        assert.deepEqual([...e.supportedIds].sort(), Object.values(EXPECTED).flat().sort());
        assert.match(e.message, /ubuntu-23\.10.*ubuntu-22\.04/s);
        return true;
      },
    );
  });
});

describe('detectOs', () => {
  const cases: [string, string][] = [
    // real os-release files, shortened
    ['NAME="Ubuntu"\nVERSION_ID="22.04"\nID=ubuntu\nID_LIKE=debian\n', 'ubuntu-22.04'],
    ['PRETTY_NAME="Ubuntu 18.04.6 LTS"\nID=ubuntu\nVERSION_ID="18.04"\n', 'ubuntu-18.04'],
    ['PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nVERSION_ID="12"\nID=debian\n', 'debian-12'],
    [
      'NAME="Alibaba Cloud Linux"\nVERSION="3 (OpenAnolis Edition)"\nID="alinux"\nID_LIKE="rhel fedora centos anolis"\nVERSION_ID="3"\n',
      'alinux-3',
    ],
    [
      'NAME="Aliyun Linux"\nVERSION="2.1903 LTS (Hunting Beagle)"\nID="aliyun"\nID_LIKE="rhel fedora centos"\nVERSION_ID="2.1903"\n',
      'alinux-2',
    ],
    ['NAME="CentOS Linux"\nVERSION="7 (Core)"\nID="centos"\nID_LIKE="rhel fedora"\nVERSION_ID="7"\n', 'centos-7'],
    ['NAME="Red Hat Enterprise Linux"\nID="rhel"\nVERSION_ID="9.2"\n', 'rhel-9'],
    ['NAME="Anolis OS"\nID="anolis"\nVERSION_ID="8.8"\n', 'anolis-8'],
    ['NAME=Fedora\nID=fedora\nVERSION_ID=35\n', 'fedora-35'],
    ['NAME="SLES"\nVERSION_ID="15.5"\nID="sles"\nID_LIKE="suse"\n', 'sles-15'],
    ['NAME="openSUSE Leap"\nVERSION_ID="15.5"\nID="opensuse-leap"\nID_LIKE="suse opensuse"\n', 'opensuse-15'],
    // by ID_LIKE: Rocky 8 is RHEL 8 for our purposes; SLES for SAP is SLES
    ['NAME="Rocky Linux"\nID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="8.9"\n', 'rhel-8'],
    ['NAME="SLES_SAP"\nID="sles_sap"\nID_LIKE="suse"\nVERSION_ID="12.5"\n', 'sles-12'],
    // systems from before os-release
    ['CentOS release 6.10 (Final)\n', 'centos-6'],
    ['Red Hat Enterprise Linux Server release 6.10 (Santiago)\n', 'rhel-6'],
    ['SUSE Linux Enterprise Server 11 (x86_64)\nVERSION = 11\nPATCHLEVEL = 4\n', 'sles-11'],
    ['Microsoft Windows Server 2019 Datacenter', 'windows-2019'],
  ];
  for (const [text, id] of cases) {
    it(`${text.split('\n')[0]} -> ${id}`, () => assert.equal(detectOs(text), id));
  }

  it('quotes, single quotes and escapes are read like the shell does', () => {
    assert.equal(detectOs("ID='ubuntu'\nVERSION_ID='20.04'\n"), 'ubuntu-20.04');
    assert.equal(detectOs(osRelease({ ID: 'debian', VERSION_ID: '9' })), 'debian-9');
  });

  it('an unsupported version or distribution is a typed error', () => {
    for (const text of [
      osRelease({ ID: 'ubuntu', VERSION_ID: '23.10' }),
      osRelease({ ID: 'arch' }),
      osRelease({ ID: 'linuxmint', ID_LIKE: 'ubuntu debian', VERSION_ID: '21' }),
      '',
    ]) {
      assert.throws(() => detectOs(text), UnsupportedOsError, text);
    }
  });
});
