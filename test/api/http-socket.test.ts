// The HTTP layer over a real socket: what node's parser refuses (431) is
// answered in Alibaba's shape with Connection: close, so a keep-alive client
// reconnects instead of meeting ECONNRESET; while the server closes, what
// reaches it on open connections is served, each answer with Connection: close.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createApp, type App } from '../../src/api/app.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { createDeps } from '../../src/service/create-deps.ts';

let dir: string;
let store: SqliteStore;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'eniplane-http-'));
  store = new SqliteStore(join(dir, 'eniplane.db'));
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function listening(extra?: (app: App) => void): Promise<{ app: App; port: number }> {
  const app = createApp(createDeps(store, { limits: { transitionMs: 0 } }), {
    logger: pino({ level: 'silent' }),
    loose: false,
    checkNonce: true,
  });
  extra?.(app);
  const { port } = await app.listen('127.0.0.1', 0);
  return { app, port };
}

function get(
  agent: http.Agent,
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, agent, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('parser errors', () => {
  it('431 in the RPC shape with Connection: close; the next request on the same keep-alive agent succeeds', async () => {
    const { app, port } = await listening();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await get(agent, port, '/nope');
      assert.equal(first.status, 404);
      const big = await get(agent, port, '/nope', { 'x-filler': 'a'.repeat(20_000) });
      assert.equal(big.status, 431);
      assert.equal(big.headers.connection, 'close');
      const b = JSON.parse(big.body);
      assert.equal(b.Code, 'RequestHeaderTooLarge');
      assert.match(b.RequestId, /^[0-9A-F-]{36}$/);
      for (let i = 0; i < 3; i++) assert.equal((await get(agent, port, '/nope')).status, 404, 'no ECONNRESET after the refusal');
    } finally {
      agent.destroy();
      await app.close();
    }
  });

  it('garbage instead of HTTP is 400 in the RPC shape, and the socket is closed after the answer', async () => {
    const { app, port } = await listening();
    try {
      const answer = await new Promise<string>((resolve, reject) => {
        const s = connect(port, '127.0.0.1', () => s.write('NOT HTTP AT ALL\r\n\r\n'));
        let got = '';
        s.setEncoding('utf8');
        s.on('data', (c: string) => (got += c));
        s.on('close', () => resolve(got));
        s.on('error', reject);
      });
      assert.match(answer, /^HTTP\/1\.1 400 /);
      assert.match(answer, /\r\nConnection: close\r\n/i);
      assert.equal(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).Code, 'InvalidParameter.Request');
    } finally {
      await app.close();
    }
  });
});

function rawExchange(port: number, first: string): { socket: ReturnType<typeof connect>; answer: Promise<string> } {
  const socket = connect(port, '127.0.0.1', () => socket.write(first));
  const answer = new Promise<string>((resolve, reject) => {
    let got = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (got += c));
    socket.on('close', () => resolve(got));
    socket.on('error', reject);
  });
  return { socket, answer };
}

describe('closing', () => {
  it('the request in flight finishes with Connection: close; one that completes after close began is served too, not refused', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const inFlight = new Promise<void>((r) => (started = r));
    const { app, port } = await listening((a) =>
      a.server.get('/test-slow', async () => {
        started();
        await held;
        return { ok: true };
      }),
    );
    const a = rawExchange(port, 'GET /test-slow HTTP/1.1\r\nHost: x\r\n\r\n');
    // B has begun its request (so it is not an idle connection) but not finished its headers.
    const b = rawExchange(port, 'GET /nope HTTP/1.1\r\nHost: x\r\n');
    await inFlight;
    await new Promise((r) => setTimeout(r, 50));
    const closed = app.close();
    await new Promise((r) => setTimeout(r, 50));
    b.socket.write('\r\n');
    await new Promise((r) => setTimeout(r, 50));
    release();
    await closed;
    const first = await a.answer;
    assert.match(first, /^HTTP\/1\.1 200 /);
    assert.match(first, /\r\nconnection: close\r\n/i, 'the answer in flight tells the client not to reuse the connection');
    assert.ok(first.endsWith('{"ok":true}'));
    const second = await b.answer;
    assert.match(second, /^HTTP\/1\.1 404 /, second);
    assert.match(second, /\r\nconnection: close\r\n/i);
    assert.equal(JSON.parse(second.slice(second.indexOf('\r\n\r\n') + 4)).Code, 'InvalidAction.NotFound');
  });

  it('close is bounded: a request that never finishes is cut after drainMs', async () => {
    const { app, port } = await listening((a) => a.server.get('/test-never', () => new Promise(() => {})));
    const a = rawExchange(port, 'GET /test-never HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    await app.close(300);
    assert.ok(Date.now() - t0 < 5000);
    assert.equal(await a.answer, '');
  });
});
