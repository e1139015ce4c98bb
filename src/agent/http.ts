// A small HTTP client over TCP or a Unix socket with a hard deadline: the
// agent must never hang on a metadata service that stopped answering.
import { request } from 'node:http';

export interface Endpoint {
  /** http://host[:port] (TCP) */
  url?: string;
  /** a Unix socket path (wins over url) */
  socketPath?: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

class HttpTimeout extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'HttpTimeout';
  }
}

const MAX_BODY = 1024 * 1024;

export function httpRequest(
  ep: Endpoint,
  method: string,
  path: string,
  opts: { headers?: Record<string, string>; body?: string; timeoutMs: number; signal?: AbortSignal },
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    let host = 'localhost';
    let port: number | undefined;
    if (!ep.socketPath) {
      const u = new URL(ep.url ?? 'http://100.100.100.200');
      if (u.protocol !== 'http:') return reject(new Error(`only http:// metadata URLs are supported, not ${u.protocol}`));
      host = u.hostname.replace(/^\[(.*)\]$/, '$1');
      port = u.port ? Number(u.port) : 80;
    }
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.body !== undefined) headers['content-length'] = String(Buffer.byteLength(opts.body));
    const req = request({ method, path, headers, ...(ep.socketPath ? { socketPath: ep.socketPath } : { host, port }), agent: false });
    const timer = setTimeout(() => req.destroy(new HttpTimeout(opts.timeoutMs)), opts.timeoutMs);
    const onAbort = () => req.destroy(new Error('aborted'));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = () => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    };
    req.on('error', (e) => {
      finish();
      reject(e);
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) req.destroy(new Error('metadata answer too large'));
        else chunks.push(c);
      });
      res.on('end', () => {
        finish();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', (e) => {
        finish();
        reject(e);
      });
    });
    if (opts.signal?.aborted) req.destroy(new Error('aborted'));
    req.end(opts.body);
  });
}
