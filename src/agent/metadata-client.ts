// Reading the desired state from the metadata service: eniplane's snapshot
// (with long-poll) when the service has it, otherwise the plain IMDS paths of
// the real cloud. Hardened mode (tokens) is used when the service offers it.
// Every failure becomes `unavailable` or `partial` — never an empty `complete`.
import { createHash } from 'node:crypto';
import { desiredFromSnapshot } from './desired.ts';
import { httpRequest, type Endpoint, type HttpResponse } from './http.ts';
import type { Desired } from './model.ts';
import { INSTANCE_ID_HEADER, SNAPSHOT_PATH, STATUS_PATH, TOKEN_HEADER, TOKEN_TTL_HEADER, type AgentStatus } from '../metadata/wire.ts';

/** as Terway: the longest TTL, refreshed at half of it */
const TOKEN_TTL_S = 21600;
const REQUEST_TIMEOUT_MS = 5000;

class MetadataError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'MetadataError';
  }
}

export interface MetadataClientOptions extends Endpoint {
  /** local development: name the instance instead of being known by the source address */
  instanceId?: string;
  /** 'auto': use a token when the service hands one out; 'off': never ask */
  tokens?: 'auto' | 'off';
}

export class MetadataClient {
  private token: { value: string; refreshAtMs: number } | undefined;
  private tokensSupported: boolean;
  /** false once the service answered 404 for the snapshot: it is a plain IMDS */
  snapshotSupported = true;

  constructor(private readonly opts: MetadataClientOptions) {
    this.tokensSupported = opts.tokens !== 'off';
  }

  describe(): string {
    return this.opts.socketPath ? `unix:${this.opts.socketPath}` : (this.opts.url ?? 'http://100.100.100.200');
  }

  private baseHeaders(): Record<string, string> {
    return this.opts.instanceId ? { [INSTANCE_ID_HEADER]: this.opts.instanceId } : {};
  }

  private async tokenHeader(signal?: AbortSignal): Promise<Record<string, string>> {
    if (!this.tokensSupported) return {};
    if (this.token && Date.now() < this.token.refreshAtMs) return { [TOKEN_HEADER]: this.token.value };
    const r = await httpRequest(this.opts, 'PUT', '/latest/api/token', {
      headers: { ...this.baseHeaders(), [TOKEN_TTL_HEADER]: String(TOKEN_TTL_S) },
      timeoutMs: REQUEST_TIMEOUT_MS,
      signal,
    });
    if (r.status === 200 && r.body.length > 0) {
      this.token = { value: r.body.trim(), refreshAtMs: Date.now() + (TOKEN_TTL_S * 1000) / 2 };
      return { [TOKEN_HEADER]: this.token.value };
    }
    if (r.status === 404 || r.status === 405) {
      this.tokensSupported = false; // a service without hardened mode
      return {};
    }
    throw new MetadataError(`token request answered ${r.status}: ${r.body.slice(0, 200)}`, r.status);
  }

  /** GET with the token; a 401 (token expired or the service restarted) drops it and retries once. */
  async get(path: string, timeoutMs = REQUEST_TIMEOUT_MS, signal?: AbortSignal): Promise<HttpResponse> {
    for (let attempt = 0; ; attempt++) {
      const r = await httpRequest(this.opts, 'GET', path, {
        headers: { ...this.baseHeaders(), ...(await this.tokenHeader(signal)) },
        timeoutMs,
        signal,
      });
      if (r.status === 401 && attempt === 0) {
        this.token = undefined;
        continue;
      }
      return r;
    }
  }

  /**
   * The desired state. With `wait` (the version last applied) the snapshot
   * endpoint holds the answer until something changes or waitMs passes.
   */
  async desired(opts: { wait?: string; waitMs?: number; signal?: AbortSignal } = {}): Promise<Desired> {
    try {
      if (this.snapshotSupported) {
        const q = opts.wait !== undefined ? `?wait=${encodeURIComponent(opts.wait)}&timeoutMs=${opts.waitMs ?? 25_000}` : '';
        const r = await this.get(
          SNAPSHOT_PATH + q,
          (opts.wait !== undefined ? (opts.waitMs ?? 25_000) : 0) + REQUEST_TIMEOUT_MS,
          opts.signal,
        );
        if (r.status === 200) return desiredFromSnapshot(JSON.parse(r.body));
        if (r.status !== 404) return { kind: 'unavailable', reason: `metadata answered ${r.status}: ${r.body.slice(0, 200)}` };
        this.snapshotSupported = false;
      }
      return await this.desiredFromImds(opts.signal);
    } catch (e) {
      return { kind: 'unavailable', reason: `metadata service at ${this.describe()}: ${(e as Error).message}` };
    }
  }

  /**
   * COMPAT: the real IMDS has no device index; the primary ENI is the one
   * whose MAC is `mac`, the others are numbered 1.. in the order listed,
   * which may change when ENIs come and go (their policy tables move too).
   */
  private async desiredFromImds(signal?: AbortSignal): Promise<Desired> {
    const text = async (path: string, optional = false): Promise<string | null> => {
      const r = await this.get(`/latest/meta-data/${path}`, REQUEST_TIMEOUT_MS, signal);
      if (r.status === 200) return r.body.trim();
      if (r.status === 404 && optional) return null;
      throw new MetadataError(`${path} answered ${r.status}`, r.status);
    };
    const macs = (await text('network/interfaces/macs/'))!
      .split('\n')
      .map((l) => l.trim().replace(/\/$/, '').toLowerCase())
      .filter(Boolean);
    const primaryMac = (await text('mac'))!.toLowerCase();
    const instanceId = (await text('instance-id'))!;
    const interfaces: unknown[] = [];
    const problems: string[] = [];
    let next = 1;
    for (const mac of macs) {
      const base = `network/interfaces/macs/${mac}/`;
      try {
        const cidr = (await text(base + 'vswitch-cidr-block'))!;
        const ipv6s = await text(base + 'ipv6s', true);
        interfaces.push({
          mac,
          networkInterfaceId: await text(base + 'network-interface-id'),
          deviceIndex: mac === primaryMac ? 0 : next++,
          primary: mac === primaryMac,
          primaryIpAddress: await text(base + 'primary-ip-address'),
          privateIpv4s: JSON.parse((await text(base + 'private-ipv4s'))!),
          prefixLength: Number(cidr.split('/')[1]),
          netmask: await text(base + 'netmask'),
          gateway: await text(base + 'gateway'),
          vswitchId: await text(base + 'vswitch-id'),
          vswitchCidrBlock: cidr,
          vpcId: await text(base + 'vpc-id'),
          vpcCidrBlock: await text(base + 'vpc-cidr-block'),
          ipv6s: ipv6s
            ? ipv6s
                .replace(/^\[|\]$/g, '')
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean)
            : [],
          ipv6Gateway: await text(base + 'ipv6-gateway', true),
          vswitchIpv6CidrBlock: await text(base + 'vswitch-ipv6-cidr-block', true),
          vpcIpv6CidrBlock: null,
        });
      } catch (e) {
        problems.push(`${mac}: ${(e as Error).message}`);
      }
    }
    interfaces.sort((x, y) => (x as { deviceIndex: number }).deviceIndex - (y as { deviceIndex: number }).deviceIndex);
    const version = createHash('sha256').update(JSON.stringify(interfaces)).digest('hex').slice(0, 16);
    const d = desiredFromSnapshot({ version, instanceId, interfaces });
    if (problems.length === 0 || d.kind === 'unavailable') return d;
    return { kind: 'partial', version, interfaces: d.interfaces, problems: [...problems, ...(d.kind === 'partial' ? d.problems : [])] };
  }

  /** Reports the agent's status; a service without the endpoint (404) is fine. */
  async report(status: AgentStatus): Promise<void> {
    const body = JSON.stringify(status);
    const r = await httpRequest(this.opts, 'PUT', STATUS_PATH, {
      headers: { ...this.baseHeaders(), ...(await this.tokenHeader()), 'content-type': 'application/json' },
      body,
      timeoutMs: REQUEST_TIMEOUT_MS,
    });
    if (r.status !== 204 && r.status !== 200 && r.status !== 404)
      throw new MetadataError(`status report answered ${r.status}: ${r.body.slice(0, 200)}`, r.status);
  }

  /** Is the service reachable at all (for verification)? */
  async reachable(): Promise<boolean> {
    try {
      const r = await this.get('/latest/meta-data/instance-id', 3000);
      return r.status === 200;
    } catch {
      return false;
    }
  }
}
