// The browser's only ways to the server: the RPC endpoint "/" (the same
// actions an SDK calls, authenticated by the session cookie plus the CSRF
// token instead of a signature) and the console's JSON endpoints.

import { PRODUCTS, type Product } from '../../api/products.ts';

/** A refusal, with the API's Code and Message exactly as sent. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken = '';
let onSessionLost: () => void = () => {};

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Called when the server says the session is gone (expired, signed out elsewhere, key disabled). */
export function setSessionLostHandler(fn: () => void): void {
  onSessionLost = fn;
}

export type Params = Record<string, string | number | boolean | undefined | null>;

async function parse(res: Response): Promise<Record<string, unknown>> {
  const text = await res.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new ApiError('Console.BadResponse', `The server answered HTTP ${res.status} with something that is not JSON.`, res.status);
  }
  if (!res.ok || typeof body.Code === 'string') {
    const code = String(body.Code ?? `HTTP${res.status}`);
    if (code === 'ConsoleSession.Expired') onSessionLost();
    throw new ApiError(
      code,
      String(body.Message ?? res.statusText),
      res.status,
      typeof body.RequestId === 'string' ? body.RequestId : undefined,
    );
  }
  return body;
}

async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { credentials: 'same-origin', ...init });
  } catch (e) {
    throw new ApiError('Console.NetworkError', `The server cannot be reached (${(e as Error).message}).`, 0);
  }
}

/** One RPC action of a product (ECS unless named): POST / with a form body, like an SDK's RPC call minus the signature. */
export async function rpc<T>(action: string, params: Params = {}, product: Product = 'ecs'): Promise<T> {
  const form = new URLSearchParams();
  form.set('Action', action);
  form.set('Version', PRODUCTS[product].version);
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    form.set(k, String(v));
  }
  const res = await send('/', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': csrfToken },
    body: form.toString(),
  });
  return (await parse(res)) as T;
}

/** The console's JSON endpoints. */
export async function consoleApi<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { 'x-csrf-token': csrfToken };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await send(`/console/api/${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return (await parse(res)) as T;
}

/** A ClientToken for an idempotent retry (getRandomValues works on plain-http origins too, randomUUID does not). */
export function newClientToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
