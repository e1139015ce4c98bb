// What the persistent-mode lab tests share (persistent.test.ts for ifupdown,
// persistent-netplan.test.ts, persistent-nm.test.ts): the instance's private
// /etc and /var/backups, the agent's command line, a second ENI, the
// simulated reboot's flush, and the checks every target makes the same way.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LabHarness, run, until } from './harness.ts';

const BIN = new URL('../../bin/eniplane.mjs', import.meta.url).pathname;

type Instance = Awaited<ReturnType<LabHarness['runInstance']>>;
export interface AgentRun {
  code: number;
  stdout: string;
  output: string;
}

/** A scratch directory for one test file with these subdirectories. */
export function scratchDir(prefix: string, subdirs: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const n of subdirs) mkdirSync(join(dir, n));
  return dir;
}

/** The instance's own /etc and /var/backups: overlays whose upper layers are dir's etc-upper and bak-upper. */
export function overlayMounts(dir: string): string[] {
  const d = (n: string) => join(dir, n);
  return [
    `mount -t overlay overlay -o lowerdir=/etc,upperdir=${d('etc-upper')},workdir=${d('etc-work')} /etc`,
    `mount -t overlay overlay -o lowerdir=/var/backups,upperdir=${d('bak-upper')},workdir=${d('bak-work')} /var/backups`,
  ];
}

/** `eniplane agent --once --mode persistent --os <os>`, its state in dir/state. */
export function agentCommand(os: string, dir: string, verifyMs: number, extra: string[]): string {
  return `exec "${process.execPath}" "${BIN}" agent --once --mode persistent --os ${os} --state-dir ${join(dir, 'state')} --verify-ms ${verifyMs} --log-level debug ${extra.join(' ')}`;
}

/** execFile's outcome as an exit code (1 when killed) and the output. */
export function execScript(cmd: string, args: string[], timeoutMs: number, env: NodeJS.ProcessEnv = process.env): Promise<AgentRun> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, env }, (err, stdout, stderr) => {
      resolve({
        code: err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0,
        stdout,
        output: stdout + stderr,
      });
    });
  });
}

/** A shell script in the instance's network namespace and a private mount namespace, the agent's apply command set. */
export function inInstance(h: LabHarness, inst: Instance, script: string, timeoutMs: number, applyCommand: string): Promise<AgentRun> {
  return execScript('ip', ['netns', 'exec', h.ns(inst.id), 'unshare', '-m', '--propagation', 'private', 'sh', '-c', script], timeoutMs, {
    ...process.env,
    ENIPLANE_AGENT_APPLY_COMMAND: applyCommand,
  });
}

/** A second ENI with one secondary address, attached to inst and up as its eth1. */
export async function attachSecondaryEni(h: LabHarness, inst: Instance): Promise<{ id: string; mac: string; addresses: string[] }> {
  const id = (
    await h.call('CreateNetworkInterface', {
      VSwitchId: h.vSwitchId,
      SecurityGroupId: h.securityGroupId,
      SecondaryPrivateIpAddressCount: 1,
    })
  ).NetworkInterfaceId as string;
  await h.call('AttachNetworkInterface', { NetworkInterfaceId: id, InstanceId: inst.id });
  await h.waitEni(id, 'InUse');
  const eni = (await h.call('DescribeNetworkInterfaces', { NetworkInterfaceId: [id] })).NetworkInterfaceSets.NetworkInterfaceSet[0];
  await until(
    'eth1 in the instance',
    async () => (await run('ip', ['-n', h.ns(inst.id), 'link', 'show', 'dev', 'eth1'])).code === 0,
    5000,
    50,
  );
  return {
    id,
    mac: eni.MacAddress,
    addresses: eni.PrivateIpSets.PrivateIpSet.map((p: { PrivateIpAddress: string }) => p.PrivateIpAddress),
  };
}

/** AssignPrivateIpAddresses with a count: the new addresses. */
export async function assignSecondaries(h: LabHarness, eniId: string, count: number): Promise<string[]> {
  return (await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: eniId, SecondaryPrivateIpAddressCount: count }))
    .AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress as string[];
}

/** The simulated reboot: eth0 and eth1 down with no address or route, table 1001 and its rules gone. */
export async function flushEth0AndEth1(h: LabHarness, inst: Instance): Promise<void> {
  const flush = [
    ...['eth0', 'eth1'].flatMap((l) => [`ip link set dev ${l} down`, `ip address flush dev ${l}`, `ip route flush dev ${l}`]),
    'ip route flush table 1001',
    'while ip -4 rule del lookup 1001 2>/dev/null; do :; done',
  ].join('; ');
  await run('ip', ['netns', 'exec', h.ns(inst.id), 'sh', '-c', flush], 5000);
  assert.equal((await run('ip', ['-n', h.ns(inst.id), '-4', '-br', 'addr'])).stdout.includes('198.18.'), false, 'no address left');
}

/** Pings each address from client until it answers, within timeoutMs in all; the ms it took. */
export async function everyAddressAnswers(h: LabHarness, client: Instance, addresses: string[], timeoutMs: number): Promise<number> {
  const t0 = Date.now();
  for (const ip of addresses)
    await until(`${ip} to answer`, () => h.ping(h.ns(client.id), ip), Math.max(1000, timeoutMs - (Date.now() - t0)), 100);
  return Date.now() - t0;
}

/** The first run applied and verified the files; a second run finds nothing to change. */
export async function assertAppliedThenUnchanged(h: LabHarness, inst: Instance, agent: () => Promise<AgentRun>): Promise<void> {
  const status = (await h.agentStatus(inst.id))!;
  assert.equal(status.mode, 'persistent');
  assert.equal(status.persistent.state, 'applied');
  assert.equal(status.ok, true);
  const again = await agent();
  assert.equal(again.code, 0, again.output);
  assert.equal((await h.agentStatus(inst.id))!.persistent.state, 'unchanged');
}

/** The agent found the rendering broken, restored the previous files and says so (exit 3, state rolled-back). */
export async function assertRolledBack(h: LabHarness, inst: Instance, r: AgentRun): Promise<void> {
  assert.equal(r.code, 3, r.output);
  assert.match(r.output, /restoring the previous files/);
  assert.equal((await h.agentStatus(inst.id))!.persistent.state, 'rolled-back');
}
