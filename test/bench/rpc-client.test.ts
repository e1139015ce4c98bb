// The benchmark's load generator signs from prepared parts; its requests must
// verify exactly like an SDK's (a bench that measured refusals would be worthless).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { signedPath } from '../../bench/lib/rpc-client.ts';
import { verifySignature, type SignedRequestInput } from '../../src/api/signing/index.ts';

const key = { id: 'LTAI-bench-key', secret: 'bench-secret' };

function input(path: string): SignedRequestInput {
  return { method: 'GET', path: '/', query: [...new URLSearchParams(path.slice(2))], form: [], headers: {}, rawBody: '' };
}

test('every path the bench client signs verifies, whatever the parameter values (property)', () => {
  const name = fc
    .stringMatching(/^[A-Z][A-Za-z0-9]{0,12}(\.[1-9])?$/)
    .filter((n) => !/^(Signature|Timestamp|AccessKeyId|Action|Version|Format|RegionId)/.test(n));
  fc.assert(
    fc.property(fc.dictionary(name, fc.string({ unit: 'grapheme', maxLength: 20 }), { maxKeys: 5 }), (params) => {
      const path = signedPath(key, 'AssignPrivateIpAddresses', params);
      const r = verifySignature(input(path), (id) => (id === key.id ? key.secret : undefined), { nowMs: Date.now() });
      assert.ok(r.ok, JSON.stringify(r));
      const q = new URLSearchParams(path.slice(2));
      for (const [k, v] of Object.entries(params)) assert.equal(q.get(k), v);
    }),
    { numRuns: 300 },
  );
});

test('a changed parameter no longer verifies (the check can fail)', () => {
  const path = signedPath(key, 'AssignPrivateIpAddresses', { NetworkInterfaceId: 'eni-1' }).replace('eni-1', 'eni-2');
  const r = verifySignature(input(path), () => key.secret, { nowMs: Date.now() });
  assert.equal(r.ok, false);
});
