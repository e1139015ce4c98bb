// A real server (lab mode) + a real `eniplane lab up` with a prefix unique to
// this run, driven through the official SDK. Everything it makes is removed
// in stop() — also when a test fails, and (synchronously) if the process
// exits early. Addresses: 198.18.0.0/15 and 2001:db8::/32 only.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { createDeps } from '../../src/service/create-deps.ts';
import type { ServiceDeps } from '../../src/service/deps.ts';
import { loadAgentStatus, loadInstanceFacts, type InstanceMetadata } from '../../src/service/instance-metadata.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { sdkClient, type SdkClient } from '../support/sdk-clients.ts';

const BIN = new URL('../../bin/eniplane.mjs', import.meta.url).pathname;
const REGION = { RegionId: 'cn-hangzhou' };

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], timeoutMs = 15_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs }, (err, stdout, stderr) => {
      resolve({
        code: err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0,
        stdout,
        stderr,
      });
    });
  });
}

/** Bounded wait for a condition. */
export async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs: number, everyMs = 50): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export function uniquePrefix(): string {
  return `t${(process.pid % 46656).toString(36)}${randomBytes(2).toString('hex')}`;
}

function labNamespaces(prefix: string): string[] {
  if (!existsSync('/run/netns')) return [];
  return readdirSync('/run/netns').filter((n) => n.startsWith(`${prefix}-`));
}

/**
 * One lab at a time from this machine's test files: two labs starting
 * (several node processes each) while the other measures would turn CPU
 * contention into flaky timings. A directory is the lock (mkdir is atomic);
 * a lock whose owner died is taken over. Waiting is bounded.
 */
const LOCK = '/tmp/eniplane-lab-tests.lock';
async function acquireLock(timeoutMs = 15 * 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return;
    } catch {
      let owner = NaN;
      try {
        owner = Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
      } catch {
        /* being written */
      }
      if (Number.isInteger(owner) && owner > 0 && !existsSync(`/proc/${owner}`)) rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > end) throw new Error(`${LOCK} held by pid ${owner} for too long`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
function releaseLock(): void {
  try {
    if (readFileSync(join(LOCK, 'pid'), 'utf8') === String(process.pid)) rmSync(LOCK, { recursive: true, force: true });
  } catch {
    /* not ours */
  }
}

export class LabHarness {
  srv!: ServerProcess;
  sdk!: SdkClient;
  lab: ChildProcess | undefined;
  private out = '';
  vpcId = '';
  vSwitchId = '';
  securityGroupId = '';
  private emergency = () => this.emergencyCleanup();
  private storeDeps: ServiceDeps | undefined;

  constructor(
    readonly prefix = uniquePrefix(),
    readonly opts: { agents?: 'all' | 'none'; agentArgs?: string[]; transitionMs?: number } = {},
  ) {}

  get output(): string {
    return this.out;
  }
  ns(instanceId: string): string {
    return `${this.prefix}-${instanceId}`;
  }
  get routerNs(): string {
    return `${this.prefix}-rt`;
  }

  async start(): Promise<void> {
    await acquireLock();
    process.once('exit', this.emergency);
    this.srv = await startServerProcess({ args: ['--transition-ms', String(this.opts.transitionMs ?? 100), '--lab-mode'] });
    this.sdk = sdkClient('ecs-acs3', this.srv.endpoint, this.srv.key);
    this.vpcId = (await this.sdk.call('CreateVpc', { ...REGION, CidrBlock: '198.18.0.0/16', EnableIpv6: true })).VpcId;
    this.vSwitchId = (
      await this.sdk.call('CreateVSwitch', {
        ...REGION,
        VpcId: this.vpcId,
        ZoneId: 'cn-hangzhou-h',
        CidrBlock: '198.18.1.0/24',
        Ipv6CidrBlock: 1,
      })
    ).VSwitchId;
    this.securityGroupId = (await this.sdk.call('CreateSecurityGroup', { ...REGION, VpcId: this.vpcId })).SecurityGroupId;
    await this.startLab();
  }

  /** `eniplane lab up` on this run's server; resolves at `lab: ready` */
  private async startLab(): Promise<void> {
    const from = this.out.length;
    const args = [
      BIN,
      'lab',
      'up',
      '--data',
      this.srv.dataDir,
      '--prefix',
      this.prefix,
      '--interval-ms',
      '100',
      '--agents',
      this.opts.agents ?? 'all',
    ];
    for (const a of this.opts.agentArgs ?? []) args.push(`--agent-arg=${a}`);
    this.lab = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.lab.stdout!.on('data', (d) => {
      this.out += d;
    });
    this.lab.stderr!.on('data', (d) => {
      this.out += d;
    });
    await this.waitForOutput(/lab: ready/, 30_000, from);
  }

  /** `lab up` ended by SIGTERM (it removes everything it made), then started again on the same store */
  async restartLab(): Promise<void> {
    await this.stopLab();
    await this.startLab();
  }

  private async stopLab(): Promise<void> {
    if (this.lab && this.lab.exitCode === null) {
      const lab = this.lab;
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          lab.kill('SIGKILL');
        }, 20_000);
        lab.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
        lab.kill('SIGTERM');
      });
    }
  }

  /** waits for a line of the lab's output (from character `from` on) */
  async waitForOutput(re: RegExp, timeoutMs: number, from = 0): Promise<void> {
    await until(
      `lab output ${re}`,
      async () => {
        if (this.lab?.exitCode !== null && this.lab?.exitCode !== undefined)
          throw new Error(`lab exited ${this.lab.exitCode}:\n${this.out}`);
        return re.test(this.out.slice(from));
      },
      timeoutMs,
    );
  }

  /** A Running instance (by default ecs.g7.large: 3 ENIs, 6 IPv4 and 6 IPv6 each) whose namespace has its primary address up. */
  async runInstance(
    opts: { ipv6?: number; instanceType?: string; vSwitchId?: string } = {},
  ): Promise<{ id: string; primaryEniId: string; primaryIp: string; mac: string }> {
    const id = (
      await this.sdk.call('RunInstances', {
        ...REGION,
        InstanceType: opts.instanceType ?? 'ecs.g7.large',
        VSwitchId: opts.vSwitchId ?? this.vSwitchId,
        SecurityGroupId: this.securityGroupId,
        ...(opts.ipv6 ? { Ipv6AddressCount: opts.ipv6 } : {}),
      })
    ).InstanceIdSets.InstanceIdSet[0] as string;
    await this.waitInstance(id, 'Running');
    const eni = (await this.sdk.call('DescribeNetworkInterfaces', { ...REGION, InstanceId: id })).NetworkInterfaceSets
      .NetworkInterfaceSet[0];
    await until(
      `${id}'s namespace up`,
      async () => (await run('ip', ['-n', this.ns(id), '-br', 'addr', 'show', 'dev', 'eth0'])).stdout.includes(eni.PrivateIpAddress),
      15_000,
    );
    return { id, primaryEniId: eni.NetworkInterfaceId, primaryIp: eni.PrivateIpAddress, mac: eni.MacAddress };
  }

  private deps(): ServiceDeps {
    if (!this.storeDeps) this.storeDeps = createDeps(new SqliteStore(join(this.srv.dataDir, 'eniplane.db')));
    return this.storeDeps;
  }

  /** what the metadata service tells the instance now (read from the server's store) */
  async snapshot(instanceId: string): Promise<InstanceMetadata> {
    const f = await loadInstanceFacts(this.deps(), instanceId);
    if (!f) throw new Error(`no instance ${instanceId}`);
    return f.metadata;
  }

  /** the agent's last report (AgentStatus + instanceId, receivedAtMs), as stored by the metadata service */
  async agentStatus(instanceId: string): Promise<Record<string, any> | undefined> {
    return loadAgentStatus(this.deps(), instanceId);
  }

  /** The instance's agent has reported every address configured for the current metadata version. */
  async agentConverged(instanceId: string, timeoutMs = 20_000): Promise<void> {
    await until(
      `the agent of ${instanceId} to report ok`,
      async () => {
        const st = await this.agentStatus(instanceId);
        return st?.ok === true && st.version === (await this.snapshot(instanceId)).version;
      },
      timeoutMs,
      100,
    );
  }

  /** the last lines of every agent log of this lab */
  agentLogs(): string {
    try {
      return execFileSync('sh', [
        '-c',
        `tail -n 40 ${this.srv.dataDir}/lab-${this.prefix}/agents/*.log ${this.srv.dataDir}/lab-${this.prefix}/metadata.log 2>/dev/null`,
      ]).toString();
    } catch {
      return '';
    }
  }

  async waitInstance(id: string, status: string): Promise<void> {
    await until(
      `${id} ${status}`,
      async () => {
        const i = (await this.sdk.call('DescribeInstances', { ...REGION, InstanceIds: JSON.stringify([id]) })).Instances.Instance[0];
        return i?.Status === status;
      },
      10_000,
      50,
    );
  }

  async waitEni(id: string, status: string): Promise<void> {
    await until(
      `${id} ${status}`,
      async () => {
        const e = (await this.sdk.call('DescribeNetworkInterfaces', { ...REGION, NetworkInterfaceId: [id] })).NetworkInterfaceSets
          .NetworkInterfaceSet[0];
        return e?.Status === status;
      },
      10_000,
      20,
    );
  }

  call(action: string, params: Record<string, unknown>): Promise<Record<string, any>> {
    // the instance power calls have no RegionId in the SDK's request models
    const noRegion = ['StartInstance', 'StopInstance', 'DeleteInstance'].includes(action);
    return this.sdk.call(action, noRegion ? params : { ...REGION, ...params });
  }

  /** one ping, 1 s deadline */
  async ping(fromNs: string, address: string): Promise<boolean> {
    const r = await run(
      'ip',
      ['netns', 'exec', fromNs, 'ping', '-c1', '-W1', '-q', ...(address.includes(':') ? ['-6'] : []), address],
      5000,
    );
    return r.code === 0;
  }

  /**
   * ms until the first reply: a ping sending every 20 ms, stopped at the first
   * reply; started again when it gives up early (ping exits once the
   * neighbour lookup for an address nobody holds yet fails).
   */
  async firstReply(fromNs: string, address: string, timeoutMs: number): Promise<number> {
    const t0 = Date.now();
    for (;;) {
      const left = timeoutMs - (Date.now() - t0);
      if (left <= 0) throw new Error(`${address} did not answer from ${fromNs} within ${timeoutMs} ms`);
      if (await this.pingUntilReply(fromNs, address, left)) {
        const took = Date.now() - t0;
        if (took > timeoutMs) throw new Error(`${address} answered from ${fromNs} only after ${took} ms (limit ${timeoutMs} ms)`);
        return took;
      }
    }
  }

  private pingUntilReply(fromNs: string, address: string, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const p = spawn(
        'ip',
        [
          'netns',
          'exec',
          fromNs,
          'ping',
          '-n',
          '-i',
          '0.02',
          '-w',
          String(Math.max(1, Math.ceil(timeoutMs / 1000))),
          ...(address.includes(':') ? ['-6'] : []),
          address,
        ],
        { stdio: ['ignore', 'pipe', 'ignore'] },
      );
      let out = '';
      let done = false;
      const finish = (ok: boolean) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        p.kill('SIGKILL');
        resolve(ok);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      p.stdout!.on('data', (d) => {
        out += d;
        if (/bytes from/.test(out)) finish(true);
      });
      p.once('exit', () => finish(/bytes from/.test(out)));
    });
  }

  exec(ns: string, args: string[]): Promise<RunResult> {
    return run('ip', ['netns', 'exec', ns, ...args]);
  }

  async stop(): Promise<void> {
    process.removeListener('exit', this.emergency);
    await this.stopLab();
    if (this.srv) {
      await run(process.execPath, [BIN, 'lab', 'down', '--data', this.srv.dataDir, '--prefix', this.prefix], 30_000);
    }
    for (const n of labNamespaces(this.prefix)) await run('ip', ['netns', 'del', n]);
    await this.storeDeps?.store.close();
    await this.srv?.stop();
    releaseLock();
  }

  private emergencyCleanup(): void {
    try {
      this.lab?.kill('SIGKILL');
    } catch {
      /* gone */
    }
    // the lab's children (metadata service, agents) by their recorded pids
    try {
      if (this.srv)
        execFileSync(process.execPath, [BIN, 'lab', 'down', '--data', this.srv.dataDir, '--prefix', this.prefix], {
          timeout: 30_000,
          stdio: 'ignore',
        });
    } catch {
      /* best effort */
    }
    for (const n of labNamespaces(this.prefix)) {
      try {
        execFileSync('ip', ['netns', 'del', n]);
      } catch {
        /* gone */
      }
    }
    try {
      this.srv?.child.kill('SIGKILL');
    } catch {
      /* gone */
    }
    releaseLock();
  }
}
