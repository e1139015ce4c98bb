// Takes 99% of the 10.1.0.0/16 vSwitch for one ENI, straight into the SQLite
// file (behind the server's back: stop it first, or have its hints re-read),
// in a scattered order so the free addresses are spread, not one block.
import Database from 'better-sqlite3';

const BASE = ((10 << 24) | (1 << 16)) >>> 0; // 10.1.0.0
const USABLE = 65532; // a /16 less the first address and the last three

/** Returns how many addresses of the vSwitch are taken afterwards. */
export function fillSlash16(file: string, vSwitchId: string, eniId: string, fraction = 0.99): number {
  const db = new Database(file);
  try {
    const used = new Set(
      (db.prepare('SELECT ipv4_num AS n FROM private_ips WHERE vswitch_id = ?').all(vSwitchId) as { n: number }[]).map((r) => r.n),
    );
    const target = Math.floor(USABLE * fraction);
    const insert = db.prepare(
      'INSERT INTO private_ips (vswitch_id, address, family, ipv4_num, eni_id, is_primary, seq) VALUES (?, ?, 4, ?, ?, 0, ?)',
    );
    db.transaction(() => {
      let n = used.size;
      for (let i = 1; i <= USABLE && n < target; i++) {
        const off = ((i * 65521) % USABLE) + 1; // 65521 is prime: a permutation of 1..65532
        if (used.has(BASE + off)) continue;
        insert.run(vSwitchId, `10.1.${off >> 8}.${off & 255}`, BASE + off, eniId, i);
        used.add(BASE + off);
        n++;
      }
    })();
    // Leave the WAL empty, so a reader of it (bench/wal-pages) starts from its header.
    db.pragma('wal_checkpoint(TRUNCATE)');
    return used.size;
  } finally {
    db.close();
  }
}

export const SLASH16_USABLE = USABLE;
