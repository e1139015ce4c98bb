// src/ipam is pure: it imports only src/domain and ipaddr.js, and takes its
// randomness and time from parameters.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = new URL('../../src/ipam/', import.meta.url).pathname;
const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

describe('src/ipam purity', () => {
  it('has files to check', () => assert.ok(files.length > 0));
  for (const file of files) {
    it(`${file} imports only ./, ../domain/ and ipaddr.js; no clock, no Math.random`, () => {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]/g)) {
        const spec = m[1] ?? m[2]!;
        assert.ok(
          /^\.\/[\w-]+\.ts$/.test(spec) || /^\.\.\/domain\/[\w-]+\.ts$/.test(spec) || spec === 'ipaddr.js',
          `${file} imports ${spec}`,
        );
      }
      const code = text.replace(/\/\/.*$/gm, '');
      for (const banned of [/Math\.random/, /Date\.now/, /new Date\b/, /performance\./, /process\./, /require\(/]) {
        assert.ok(!banned.test(code), `${file} uses ${banned}`);
      }
    });
  }
});
