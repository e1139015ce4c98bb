// The seed document's own example (ENI eth0: 192.168.1.201 primary,
// .202/.203 secondary, /24, gateway 192.168.1.253, DNS 223.5.5.5/223.6.6.6),
// rendered for each target and held to the seed's text where the seed gives
// one. The SEED_* constants are copied verbatim from "Secondary private IP
// addresses" (docs in /work/shared/seed). Deliberate differences are named.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { render } from '../../src/osconfig/index.ts';
import { SEED_FACTS } from './support/facts-arb.ts';
import { fileContent, nmcliProperties } from './support/parsers.ts';
import { DEBIAN_PYTHON, runOk } from './support/proc.ts';

const SEED_NETPLAN_18 = `network:
    version: 2
    ethernets:
        eth0:
            dhcp4: false
            match:
                macaddress: 00:16:3e:16:43:xx  # Replace with your ENI's MAC address
            set-name: eth0
            addresses:
                    - 192.168.1.201/24  # Primary private IP address
                    - 192.168.1.202/24  # Secondary private IP address 1
                    - 192.168.1.203/24  # Secondary private IP address 2
            gateway4: 192.168.1.253  # Default gateway
            nameservers:
              addresses: [223.5.5.5, 223.6.6.6]  # DNS servers
`;

const SEED_NETPLAN_22 = `network:
    version: 2
    ethernets:
        eth0:
            dhcp4: false
            match:
                macaddress: 00:16:3e:16:43:xx  # Replace with your ENI's MAC address
            set-name: eth0
            addresses:
                    - 192.168.1.201/24  # Primary private IP address
                    - 192.168.1.202/24  # Secondary private IP address 1
                    - 192.168.1.203/24  # Secondary private IP address 2
            routes:
              - to: default
                via: 192.168.1.253  # Default gateway
            nameservers:
              addresses: [223.5.5.5, 223.6.6.6]  # DNS servers
`;

const SEED_RHEL_ALIASES = [
  'DEVICE=eth0:0\nTYPE=Ethernet\nBOOTPROTO=static\nIPADDR=192.168.1.202\nNETMASK=255.255.255.0\n',
  'DEVICE=eth0:1\nTYPE=Ethernet\nBOOTPROTO=static\nIPADDR=192.168.1.203\nNETMASK=255.255.255.0\n',
];

const SEED_INTERFACES_ALIASES = `auto eth0:0
iface eth0:0 inet static
address 192.168.1.202
netmask 255.255.255.0

auto eth0:1
iface eth0:1 inet static
address 192.168.1.203
netmask 255.255.255.0`;

const SEED_SLES = `BOOTPROTO=static
STARTMODE=auto
USERCONTROL=no

IPADDR_1=192.168.1.201
NETMASK_1=255.255.255.0
LABEL_1=

IPADDR_2=192.168.1.202
NETMASK_2=255.255.255.0
LABEL_2=0

IPADDR_3=192.168.1.203
NETMASK_3=255.255.255.0
LABEL_3=1
`;

const withoutComments = (text: string) =>
  text
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('\n');

/** YAML -> JSON with PyYAML (Debian's python has it: cloud-init depends on it) */
function yamlToJson(text: string): unknown {
  return JSON.parse(
    runOk(DEBIAN_PYTHON, ['-c', 'import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))'], { input: text }).stdout,
  );
}

describe('the seed example, per target', () => {
  it('nmcli: the seed\'s addresses and gateway, then "nmcli con up" on the connection found by device', () => {
    const r = render('nmcli', SEED_FACTS);
    const props = nmcliProperties(r);
    // seed: nmcli con modify "System eth0" ipv4.addresses 192.168.1.201/24,192.168.1.202/24,192.168.1.203/24
    assert.equal(props.get('ipv4.addresses'), '192.168.1.201/24,192.168.1.202/24,192.168.1.203/24');
    // seed: nmcli con modify "System eth0" ipv4.gateway 192.168.1.253
    assert.equal(props.get('ipv4.gateway'), '192.168.1.253');
    // ours also sets method manual (the seed keeps DHCP beside the static addresses) and the DNS servers
    assert.equal(props.get('ipv4.method'), 'manual');
    assert.ok(r.commands.some((c) => c.run === 'nmcli connection up "$CON"'));
    assert.ok(r.commands.some((c) => c.run.startsWith('CON=$(nmcli -g UUID,DEVICE connection show')));
  });

  it("RHEL: the alias files are the seed's, byte for byte after our comment", () => {
    for (const osId of ['alinux-3', 'centos-7', 'rhel-9', 'fedora-35']) {
      const r = render(osId, SEED_FACTS);
      assert.equal(withoutComments(fileContent(r, '/ifcfg-eth0:0')), SEED_RHEL_ALIASES[0]);
      assert.equal(withoutComments(fileContent(r, '/ifcfg-eth0:1')), SEED_RHEL_ALIASES[1]);
      const main = fileContent(r, '/ifcfg-eth0');
      // the seed's main file has DEVICE/TYPE/ONBOOT as here, but BOOTPROTO=dhcp: ours is static (see docs/osconfig.md)
      for (const line of [
        'DEVICE=eth0',
        'TYPE=Ethernet',
        'ONBOOT=yes',
        'BOOTPROTO=static',
        'IPADDR=192.168.1.201',
        'GATEWAY=192.168.1.253',
      ]) {
        assert.match(main, new RegExp(`^${line}$`, 'm'));
      }
    }
  });

  it("Ubuntu 18/20 netplan: the same document as the seed's", () => {
    const ours = fileContent(render('ubuntu-18.04', SEED_FACTS), '/etc/netplan/50-cloud-init.yaml');
    assert.deepEqual(yamlToJson(ours), yamlToJson(SEED_NETPLAN_18.replace('00:16:3e:16:43:xx', SEED_FACTS.macAddress)));
  });

  it("Ubuntu 22/24 and Debian 12 netplan: the same document as the seed's", () => {
    const seed = yamlToJson(SEED_NETPLAN_22.replace('00:16:3e:16:43:xx', SEED_FACTS.macAddress));
    const ours = ['ubuntu-22.04', 'ubuntu-24.04', 'debian-12'].map((osId) =>
      fileContent(render(osId, SEED_FACTS), '/etc/netplan/50-cloud-init.yaml'),
    );
    // the three renderings are one text, so PyYAML reads it once
    assert.equal(new Set(ours).size, 1);
    assert.deepEqual(yamlToJson(ours[0]), seed);
  });

  it("Ubuntu 14/16, Debian 8-11: the seed's alias stanzas (indentation aside)", () => {
    for (const osId of ['ubuntu-14.04', 'ubuntu-16.04', 'debian-8', 'debian-11']) {
      const text = fileContent(render(osId, SEED_FACTS), '/etc/network/interfaces');
      const flat = text
        .split('\n')
        .map((l) => l.trim())
        .join('\n');
      assert.ok(flat.includes(SEED_INTERFACES_ALIASES), osId);
      assert.ok(flat.includes('auto lo\niface lo inet loopback'), osId);
      // the seed keeps "iface eth0 inet dhcp"; ours is static with the primary and gateway
      assert.ok(
        flat.includes('auto eth0\niface eth0 inet static\naddress 192.168.1.201\nnetmask 255.255.255.0\ngateway 192.168.1.253'),
        osId,
      );
    }
  });

  it("SUSE: the seed's ifcfg-eth0 exactly, and its routes line", () => {
    for (const osId of ['sles-12', 'sles-15', 'opensuse-15']) {
      const r = render(osId, SEED_FACTS);
      assert.equal(withoutComments(fileContent(r, '/etc/sysconfig/network/ifcfg-eth0')), SEED_SLES);
      assert.equal(withoutComments(fileContent(r, '/etc/sysconfig/network/routes')), 'default 192.168.1.253 - -\n');
    }
  });

  it("Windows: the primary and both secondaries with the seed's mask and gateway", () => {
    const batch = fileContent(render('windows-2022', SEED_FACTS), '-netsh.cmd');
    assert.match(
      batch,
      /set address name="%IFNAME%" source=static address=192\.168\.1\.201 mask=255\.255\.255\.0 gateway=192\.168\.1\.253 /,
    );
    assert.match(batch, /add address name="%IFNAME%" address=192\.168\.1\.202 mask=255\.255\.255\.0 /);
    assert.match(batch, /add address name="%IFNAME%" address=192\.168\.1\.203 mask=255\.255\.255\.0 /);
  });

  it("restart commands follow the seed's table", () => {
    // "Restart the network service", one row at a time
    const table: [string[], string][] = [
      [['alinux-2', 'centos-7', 'rhel-7', 'anolis-7', 'sles-12', 'sles-15', 'opensuse-15'], 'systemctl restart network'],
      [['centos-6', 'rhel-6', 'sles-11'], 'service network restart'],
      [['alinux-3', 'centos-8', 'rhel-8', 'anolis-8', 'fedora-33', 'fedora-34', 'fedora-35'], 'systemctl restart NetworkManager'],
      [['ubuntu-18.04', 'ubuntu-20.04', 'ubuntu-22.04', 'debian-12'], 'netplan apply'],
      [['ubuntu-16.04', 'debian-8', 'debian-9', 'debian-10', 'debian-11'], 'systemctl restart networking'],
    ];
    for (const [ids, cmd] of table) {
      for (const id of ids) {
        const r = render(id, SEED_FACTS);
        assert.equal(r.commands.at(-1)!.run, cmd, id);
      }
    }
    // nmcli: "If you used the nmcli con method, skip this step"
    assert.equal(render('nmcli', SEED_FACTS).commands.at(-1)!.run, 'nmcli connection up "$CON"');
  });
});
