// The agent's kernel I/O against a real network namespace (root): the plan's
// steps through `ip -batch`, the state read back with `ip -json`, failed
// lines reported per step, and a full plan → apply → plan round trip with a
// secondary ENI's policy routing. Addresses 198.18.0.0/15 and 2001:db8::/32.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { applySteps, readActual, systemIp, takeBackMisplaced, type IpRunner } from '../../src/agent/iproute2.ts';
import { plan, settleOwnership } from '../../src/agent/plan.ts';
import { NO_OWNERSHIP, type Desired, type Step } from '../../src/agent/model.ts';
import { parseAddrJson, parseRouteJson, parseRuleJson } from '../../src/agent/ip-json.ts';

const NS = `eka${randomBytes(3).toString('hex')}`;
const inNs: IpRunner = { run: (args, input) => systemIp.run(['-n', NS, ...args], input) };
const sh = (...args: string[]) => execFileSync('ip', ['-n', NS, ...args]).toString();
let mac0 = '';
let mac1 = '';

before(() => {
  execFileSync('ip', ['netns', 'add', NS]);
  sh('link', 'set', 'lo', 'up');
  sh('link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'p0');
  sh('link', 'add', 'eth1', 'type', 'veth', 'peer', 'name', 'p1');
  for (const l of ['eth0', 'p0', 'p1']) sh('link', 'set', l, 'up'); // eth1 stays DOWN, as an ENI that just moved in
  execFileSync('ip', [
    'netns',
    'exec',
    NS,
    'sysctl',
    '-qw',
    'net.ipv6.conf.all.accept_dad=0',
    'net.ipv6.conf.default.accept_dad=0',
    'net.ipv6.conf.eth0.accept_dad=0',
    'net.ipv6.conf.eth1.accept_dad=0',
  ]);
  sh('addr', 'add', '198.18.1.10/24', 'dev', 'eth0');
  sh('route', 'add', 'default', 'via', '198.18.1.253');
  mac0 = JSON.parse(sh('-json', 'link', 'show', 'eth0'))[0].address;
  mac1 = JSON.parse(sh('-json', 'link', 'show', 'eth1'))[0].address;
});

after(() => {
  execFileSync('ip', ['netns', 'del', NS]);
});

test('readActual parses links, rules and routes of both families', async () => {
  const a = await readActual(inNs);
  const eth0 = a.links.find((l) => l.ifname === 'eth0')!;
  assert.equal(eth0.mac, mac0);
  assert.equal(eth0.up, true);
  assert.deepEqual(eth0.addresses, [{ family: 4, address: '198.18.1.10', prefixLength: 24, secondary: false }]);
  assert.equal(a.links.find((l) => l.ifname === 'eth1')!.up, false);
  assert.ok(!a.links.some((l) => l.ifname === 'lo'));
  assert.ok(
    a.routes.some((r) => r.family === 4 && r.table === 254 && r.dst === 'default' && r.gateway === '198.18.1.253' && r.dev === 'eth0'),
  );
  assert.ok(a.routes.every((r) => r.family === 4 || r.family === 6));
});

test('plan → apply → plan: a primary ENI with secondaries and IPv6, a secondary ENI with policy routing; then it all goes away', async () => {
  const desired: Desired = {
    kind: 'complete',
    version: 'v1',
    interfaces: [
      {
        mac: mac0,
        networkInterfaceId: 'eni-0',
        deviceIndex: 0,
        primary: true,
        ipv4: {
          primary: '198.18.1.10',
          secondaries: ['198.18.1.11', '198.18.1.12'],
          prefixLength: 24,
          gateway: '198.18.1.253',
          cidr: '198.18.1.0/24',
        },
        ipv6: { addresses: ['2001:db8:0:1::10'], prefixLength: 64, gateway: '2001:db8:0:1::1', cidr: '2001:db8:0:1::/64' },
      },
      {
        mac: mac1,
        networkInterfaceId: 'eni-1',
        deviceIndex: 1,
        primary: false,
        ipv4: { primary: '198.18.1.20', secondaries: ['198.18.1.21'], prefixLength: 24, gateway: '198.18.1.253', cidr: '198.18.1.0/24' },
        ipv6: { addresses: ['2001:db8:0:1::20'], prefixLength: 64, gateway: '2001:db8:0:1::1', cidr: '2001:db8:0:1::/64' },
      },
    ],
  };
  const p = plan(desired, await readActual(inNs), NO_OWNERSHIP);
  const outcome = await applySteps(p.steps, inNs);
  assert.deepEqual(outcome.errors, []);
  const owned = settleOwnership(p, outcome.failed);
  const after1 = await readActual(inNs);
  assert.deepEqual(plan(desired, after1, owned).steps, [], 'converged in one pass');
  assert.match(sh('-4', 'rule'), /from 198\.18\.1\.21 lookup 1001/);
  assert.match(sh('-6', 'rule'), /from 2001:db8:0:1::20 lookup 1001/);
  assert.match(sh('-4', 'route', 'show', 'table', '1001'), /default via 198\.18\.1\.253 dev eth1/);
  assert.match(sh('-6', 'route', 'show', 'default'), /default via 2001:db8:0:1::1 dev eth0/);
  assert.equal(owned.addresses.length, 6, "everything but the primary DHCP address is the agent's");

  // a foreign address, and the metadata now lists only the primary ENI's primary address
  sh('addr', 'add', '198.18.1.99/24', 'dev', 'eth0');
  const bare: Desired = {
    kind: 'complete',
    version: 'v2',
    interfaces: [
      {
        ...desired.interfaces[0]!,
        ipv4: { ...desired.interfaces[0]!.ipv4, secondaries: [] },
        ipv6: { addresses: [], prefixLength: 64, gateway: null, cidr: null },
      },
    ],
  };
  const p2 = plan(bare, await readActual(inNs), owned);
  const o2 = await applySteps(p2.steps, inNs, '/nonexistent'); // promote_secondaries is not needed here
  assert.deepEqual(o2.errors, []);
  const after2 = await readActual(inNs);
  assert.deepEqual(
    after2.links
      .find((l) => l.mac === mac0)!
      .addresses.map((a) => a.address)
      .sort(),
    ['198.18.1.10', '198.18.1.99'],
  );
  assert.deepEqual(after2.links.find((l) => l.mac === mac1)!.addresses, []);
  assert.doesNotMatch(sh('-4', 'rule'), /lookup 1001/);
  assert.doesNotMatch(sh('-6', 'rule'), /lookup 1001/);
  assert.equal(sh('-4', 'route', 'show', 'table', '1001').trim(), '');
  assert.deepEqual(settleOwnership(p2, o2.failed), { addresses: [], rules: [], routes: [] });
});

test('a failing line is reported as that step; the others still run', async () => {
  const steps: Step[] = [
    { op: 'addr-add', ifname: 'eth0', mac: mac0, family: 4, address: '198.18.1.10', prefixLength: 24 }, // exists already
    { op: 'addr-add', ifname: 'eth0', mac: mac0, family: 4, address: '198.18.1.30', prefixLength: 24 },
  ];
  const o = await applySteps(steps, inNs);
  assert.deepEqual([...o.failed], [steps[0]]);
  assert.match(o.errors.join('\n'), /198\.18\.1\.10\/24/);
  assert.match(sh('-br', 'addr', 'show', 'eth0'), /198\.18\.1\.30\/24/);
});

test('ip -json parsers: the shapes iproute2 6.1 prints', () => {
  const links = parseAddrJson(
    JSON.stringify([
      { ifname: 'lo', link_type: 'loopback', address: '00:00:00:00:00:00', flags: ['UP'], addr_info: [] },
      {
        ifname: 'eth0',
        link_type: 'ether',
        address: '00:16:3E:00:00:01',
        flags: ['BROADCAST', 'UP'],
        addr_info: [
          { family: 'inet', local: '198.18.1.10', prefixlen: 24, scope: 'global', label: 'eth0' },
          { family: 'inet', local: '198.18.1.11', prefixlen: 24, scope: 'global', secondary: true, label: 'eth0:1' },
          { family: 'inet6', local: '2001:DB8::0010', prefixlen: 64, scope: 'global', nodad: true },
          { family: 'inet6', local: 'fe80::1', prefixlen: 64, scope: 'link' },
        ],
      },
    ]),
  );
  assert.deepEqual(links, [
    {
      ifname: 'eth0',
      mac: '00:16:3e:00:00:01',
      up: true,
      addresses: [
        { family: 4, address: '198.18.1.10', prefixLength: 24, secondary: false },
        { family: 4, address: '198.18.1.11', prefixLength: 24, secondary: true },
        { family: 6, address: '2001:db8::10', prefixLength: 64, secondary: false },
      ],
    },
  ]);
  assert.deepEqual(
    parseRuleJson(
      '[{"priority":0,"src":"all","table":"local"},{"priority":1001,"src":"198.18.1.5","table":"1001"},{"priority":5,"src":"198.18.0.0","srclen":16,"table":"main"}]',
      4,
    ),
    [
      { family: 4, priority: 1001, src: '198.18.1.5', srcLen: 32, table: 1001 },
      { family: 4, priority: 5, src: '198.18.0.0', srcLen: 16, table: 254 },
    ],
  );
  assert.deepEqual(
    parseRouteJson(
      '[{"dst":"default","gateway":"198.18.1.253","dev":"eth1","table":"1001","flags":[]},{"type":"local","dst":"198.18.1.5","dev":"eth1","table":"local"},{"dst":"default","dev":"eth0","metric":1024,"pref":"medium"},{"dst":"198.18.1.7","dev":"eth0"}]',
      'any',
    ),
    [
      { family: 4, table: 1001, dst: 'default', gateway: '198.18.1.253', dev: 'eth1' },
      { family: 6, table: 254, dst: 'default', dev: 'eth0' },
      { family: 4, table: 254, dst: '198.18.1.7/32', dev: 'eth0' },
    ],
  );
});

test('an address added to a link that no longer has the planned MAC (an ENI swapped in) is taken back and not owned', async () => {
  // planned for an ENI with another MAC that was eth1 when the kernel was read; eth1 is now another ENI
  const elsewhere = '00:16:3e:aa:bb:cc';
  const steps: Step[] = [
    { op: 'addr-add', ifname: 'eth1', mac: elsewhere, family: 4, address: '198.18.1.77', prefixLength: 24 },
    { op: 'addr-add', ifname: 'eth0', mac: mac0, family: 4, address: '198.18.1.78', prefixLength: 24 },
  ];
  const o = await applySteps(steps, inNs);
  assert.equal(o.failed.size, 0, 'both adds ran');
  assert.match(sh('-br', 'addr', 'show', 'eth1'), /198\.18\.1\.77\/24/);
  const taken = await takeBackMisplaced(steps, o, inNs);
  assert.deepEqual(taken, ['198.18.1.77 from eth1']);
  assert.deepEqual([...o.failed], [steps[0]], 'the misplaced add counts as failed: not owned');
  assert.match(o.errors.join('\n'), /eth1 is no longer 00:16:3e:aa:bb:cc/);
  assert.doesNotMatch(sh('-br', 'addr', 'show', 'eth1'), /198\.18\.1\.77/);
  assert.match(sh('-br', 'addr', 'show', 'eth0'), /198\.18\.1\.78\/24/, 'the add on the right link stays');
  assert.equal(
    settleOwnership(
      {
        steps,
        owned: {
          addresses: steps.map((s) => ({
            mac: (s as { mac: string }).mac,
            family: 4 as const,
            address: (s as { address: string }).address,
            prefixLength: 24,
          })),
          rules: [],
          routes: [],
        },
        missingLinks: [],
        removalsSuppressed: false,
      },
      o.failed,
    )
      .addresses.map((a) => a.address)
      .join(),
    '198.18.1.78',
  );
  sh('addr', 'del', '198.18.1.78/24', 'dev', 'eth0');
});
