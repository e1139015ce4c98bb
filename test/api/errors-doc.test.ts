// docs/errors.md and the wire catalogue in src/api/errors.ts say the same thing, both ways:
// every code eniplane can send is documented with its HTTP status, every documented code
// (any table of the page) is in the catalogue, and each domain code maps as documented.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ERROR_TABLE, WIRE_CATALOGUE } from '../../src/api/errors.ts';

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

// Every table row with an HTTP status cell: the codes are the backticked names of the next cell.
const documented = new Set<string>();
for (const line of doc.split('\n').filter((l) => l.startsWith('|'))) {
  const cells = line
    .split('|')
    .slice(1, -1)
    .map((c) => c.trim());
  const at = cells.findIndex((c) => /^\d{3}$/.test(c));
  if (at < 0 || at + 1 >= cells.length) continue;
  for (const m of cells[at + 1].matchAll(/`([\w.]+)`/g)) documented.add(`${m[1]} ${cells[at]}`);
}
const catalogue = new Set(Object.values(WIRE_CATALOGUE).map((t) => `${t.code} ${t.status}`));

const domainSection = doc.slice(doc.indexOf('## Domain errors'), doc.indexOf('### Per-action differences'));
const domainRows = [...domainSection.matchAll(/^\| `(\w+)` \| (\d{3}) \| `([\w.]+)` \|/gm)].map((m) => ({
  domain: m[1],
  status: Number(m[2]),
  code: m[3],
}));

it('every code of the catalogue is documented with its status', () => {
  for (const pair of catalogue) assert.ok(documented.has(pair), `${pair} (code, HTTP) missing from docs/errors.md`);
});

it('every documented code and status is in the catalogue', () => {
  assert.ok(documented.size > 0);
  for (const pair of documented) assert.ok(catalogue.has(pair), `${pair} documented but not sent by src/api/errors.ts`);
});

it('every domain code is documented with the code and status it maps to', () => {
  for (const [domain, spec] of Object.entries(ERROR_TABLE)) {
    const row = domainRows.find((r) => r.domain === domain);
    assert.ok(row, `${domain} missing from docs/errors.md`);
    assert.equal(row.code, spec.code, domain);
    assert.equal(row.status, spec.status, domain);
  }
});

it('every documented domain code exists in the table', () => {
  assert.ok(domainRows.length > 0);
  for (const r of domainRows) assert.ok(r.domain in ERROR_TABLE, `${r.domain} documented but not in src/api/errors.ts`);
});
