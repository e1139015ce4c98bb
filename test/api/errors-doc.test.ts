// docs/errors.md and the error table in src/api/errors.ts say the same thing, both ways.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ERROR_TABLE } from '../../src/api/errors.ts';

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
const section = doc.slice(doc.indexOf('## Domain errors'), doc.indexOf('### Per-action differences'));
const rows = [...section.matchAll(/^\| `(\w+)` \| (\d{3}) \| `([\w.]+)` \|/gm)].map((m) => ({ domain: m[1], status: Number(m[2]), code: m[3] }));

it('every domain code of the table is documented with its status and code', () => {
  for (const [domain, spec] of Object.entries(ERROR_TABLE)) {
    const row = rows.find((r) => r.domain === domain);
    assert.ok(row, `${domain} missing from docs/errors.md`);
    assert.equal(row.code, spec.code, domain);
    assert.equal(row.status, spec.status, domain);
  }
});

it('every documented domain code exists in the table', () => {
  assert.ok(rows.length > 0);
  for (const r of rows) assert.ok(r.domain in ERROR_TABLE, `${r.domain} documented but not in src/api/errors.ts`);
});
