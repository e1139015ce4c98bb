// bench/wal-pages: how many pages one signed assign or unassign appends to the
// SQLite WAL, and to which table or index — counts, not times. A commit writes
// every page it dirtied (two write calls each), so this is the store's share of
// a request's cost that no profiler shows by name; it is how the nonce key
// (store/sql/nonce-key.ts) was found to be most of it.
//
// In process: the service calls bench/assign makes over HTTP (each with its
// own signature nonce), at concurrency 1 (one commit each) and 16 (commit
// groups), on a /16 vSwitch, empty and then 99% full; checkpoints off so the
// WAL keeps every frame. Bounded in count; no network.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { fillSlash16 } from './lib/fill-vswitch.ts';
import { createDeps } from '../src/service/create-deps.ts';
import { ensureRootAccount } from '../src/service/accounts.ts';
import { createSecurityGroup, createVpc, createVSwitch } from '../src/service/networks.ts';
import { createEni } from '../src/service/create-eni.ts';
import { assignPrivateIps, unassignPrivateIps } from '../src/service/eni-addresses.ts';
import type { ServiceDeps } from '../src/service/deps.ts';

const OPS = 4000;
const WAL_HEADER_BYTES = 32;
const FRAME_BYTES = 24 + 1024; // frame header + one 1 KiB page (sqlite-store.ts PAGE_SIZE)

interface Setup {
  deps: ServiceDeps;
  file: string;
  accessKeyId: string;
  caller: { accountId: string };
  enis: string[];
  vSwitchId: string;
  dir: string;
  store: SqliteStore;
}

async function setup(): Promise<Setup> {
  const dir = mkdtempSync(join(tmpdir(), 'eniplane-walpages-'));
  const file = join(dir, 'eniplane.db');
  const store = new SqliteStore(file, { backgroundCheckpoints: false });
  // Keep every frame in the WAL: no checkpoint, so the file is the record of what each commit wrote.
  (store as unknown as { writer: Database.Database }).writer.pragma('wal_autocheckpoint = 0');
  const deps = createDeps(store, { limits: { transitionMs: 0 } });
  const root = await ensureRootAccount(deps);
  const caller = { accountId: root.accountId };
  const vpc = await createVpc(deps, caller, { cidrBlock: '10.0.0.0/8' });
  const vSwitchId = (await createVSwitch(deps, caller, { vpcId: vpc.id, zoneId: 'cn-hangzhou-h', cidrBlock: '10.1.0.0/16' })).id;
  const securityGroupId = (await createSecurityGroup(deps, caller, { vpcId: vpc.id, type: 'enterprise' })).id;
  const enis: string[] = [];
  for (let i = 0; i < 17; i++) enis.push((await createEni(deps, caller, { vSwitchId, securityGroupIds: [securityGroupId] })).id);
  return { deps, file, accessKeyId: root.accessKeyId, caller, enis, vSwitchId, dir, store };
}

/** Each worker alternates assign (count 1) and unassign of what it got on its own ENI, as bench/assign does. */
async function drive(s: Setup, concurrency: number, ops: number): Promise<void> {
  const holding = new Map<number, string>();
  let issued = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      while (issued < ops) {
        issued++;
        const deps = s.deps;
        const caller = {
          ...s.caller,
          nonce: { accessKeyId: s.accessKeyId, nonce: randomUUID(), expiresMs: Date.now() + 15 * 60_000, recorded: false },
        };
        const held = holding.get(w);
        if (held) {
          await unassignPrivateIps(deps, caller, { eniId: s.enis[w], addresses: [held] });
          holding.delete(w);
        } else {
          holding.set(w, (await assignPrivateIps(deps, caller, { eniId: s.enis[w], request: { count: 1 } })).addresses[0]);
        }
      }
    }),
  );
  for (const [w, a] of holding) await unassignPrivateIps({ ...s.deps }, s.caller, { eniId: s.enis[w], addresses: [a] });
}

/** WAL frames appended by `ops` requests, by the B-tree (table or index) each page belongs to. */
async function measure(s: Setup, concurrency: number): Promise<{ perOp: number; commitsPerOp: number; byTree: [string, number][] }> {
  const wal = `${s.file}-wal`;
  const start = statSync(wal).size;
  await drive(s, concurrency, OPS);
  const buf = readFileSync(wal);
  const db = new Database(s.file, { readonly: true });
  const owner = new Map<number, string>();
  for (const r of db.prepare('SELECT name, pageno FROM dbstat').all() as { name: string; pageno: number }[]) owner.set(r.pageno, r.name);
  db.close();
  const byTree = new Map<string, number>();
  let frames = 0;
  let commits = 0;
  // Frames follow the 32-byte WAL header; a WAL just truncated (fill) starts again from it.
  for (let off = Math.max(start, WAL_HEADER_BYTES); off + FRAME_BYTES <= buf.length; off += FRAME_BYTES) {
    const page = buf.readUInt32BE(off);
    if (buf.readUInt32BE(off + 4) !== 0) commits++; // a commit frame records the database size
    const tree = owner.get(page) ?? (page === 1 ? 'header (page 1)' : 'free pages');
    byTree.set(tree, (byTree.get(tree) ?? 0) + 1);
    frames++;
  }
  return {
    perOp: frames / OPS,
    commitsPerOp: commits / OPS,
    byTree: [...byTree].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, v / OPS]),
  };
}

export async function benchWalPages(): Promise<void> {
  console.log('## bench/wal-pages (WAL pages appended per request: counts, not times)');
  const s = await setup();
  try {
    const filler = s.enis.pop()!;
    await drive(s, 16, 1000); // warm: the nonce table and the hints exist
    for (const full of [false, true]) {
      if (full) {
        fillSlash16(s.file, s.vSwitchId, filler);
        s.deps.hints.forget(s.vSwitchId);
      }
      for (const c of [1, 16]) {
        const r = await measure(s, c);
        const trees = r.byTree
          .filter(([, v]) => v >= 0.01)
          .map(([k, v]) => `${k} ${v.toFixed(2)}`)
          .join(', ');
        console.log(
          `  ${full ? '99% full' : 'empty   '} c=${String(c).padEnd(2)}  ${r.perOp.toFixed(2)} pages/request (${(1 / r.commitsPerOp).toFixed(1)} requests a commit): ${trees}`,
        );
      }
    }
  } finally {
    await s.store.close();
    rmSync(s.dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchWalPages();
