// A small signed RPC client for the CLI's own calls to a running server (RPC
// HMAC-SHA1 over GET, as pop-core sends it). Credentials come from
// ENIPLANE_ACCESS_KEY_ID/SECRET, falling back to <data>/credentials.json.
import { PRODUCTS } from '../api/products.ts';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pct, rpcSignature, rpcStringToSign } from '../api/signing/index.ts';

export interface CliCredentials {
  id: string;
  secret: string;
}

export function cliCredentials(dataDir: string, env: NodeJS.ProcessEnv = process.env): CliCredentials {
  if (env.ENIPLANE_ACCESS_KEY_ID && env.ENIPLANE_ACCESS_KEY_SECRET)
    return { id: env.ENIPLANE_ACCESS_KEY_ID, secret: env.ENIPLANE_ACCESS_KEY_SECRET };
  const file = join(dataDir, 'credentials.json');
  if (!existsSync(file))
    throw new UserError(
      `no credentials: set ENIPLANE_ACCESS_KEY_ID and ENIPLANE_ACCESS_KEY_SECRET, or point --data at the server's data directory (${file} not found)`,
    );
  const c = JSON.parse(readFileSync(file, 'utf8'));
  return { id: c.accessKeyId, secret: c.accessKeySecret };
}

export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

class ApiError extends UserError {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

export async function callRpc(
  endpoint: string,
  key: CliCredentials,
  action: string,
  params: Record<string, string>,
  version: string = PRODUCTS.ecs.version,
): Promise<Record<string, any>> {
  const pairs: [string, string][] = [
    ['Action', action],
    ['Version', version],
    ['Format', 'JSON'],
    ['AccessKeyId', key.id],
    ['SignatureMethod', 'HMAC-SHA1'],
    ['SignatureVersion', '1.0'],
    ['SignatureNonce', randomUUID()],
    ['Timestamp', new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')],
    ...Object.entries(params),
  ];
  const signature = rpcSignature(rpcStringToSign('GET', pairs), key.secret);
  const url = `http://${endpoint}/?${[...pairs, ['Signature', signature]].map(([k, v]) => `${pct(k)}=${pct(v)}`).join('&')}`;
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  } catch (e) {
    throw new UserError(`cannot reach eniplane at ${endpoint}: ${(e as Error).message}`);
  }
  const body = (await res.json()) as Record<string, any>;
  if (res.status >= 400) throw new ApiError(String(body.Code), res.status, String(body.Message));
  return body;
}
