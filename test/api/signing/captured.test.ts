// Every request the official SDKs actually sent verifies, with the clock pinned
// to the request's own timestamp, and yields the right scheme, nonce and token.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acs3StringToSign, parseCredentials, verifySignature } from '../../../src/api/signing/index.ts';
import { capturedRequests, find, lookup } from './captured.ts';

test('all 83 captured requests are loaded (68 SDK-folder incl. sts/, 15 errors/retry-*)', () => {
  const all = capturedRequests();
  assert.equal(all.length, 83);
  assert.equal(all.filter((c) => c.name.startsWith('errors/')).length, 15);
  assert.equal(all.filter((c) => c.scheme === 'ACS3-HMAC-SHA256').length > 0, true);
  assert.equal(all.filter((c) => c.input.form.length > 0).length, 2); // pop-core POST bodies
});

for (const c of capturedRequests()) {
  test(`verifies ${c.name}`, () => {
    const r = verifySignature(c.input, lookup, { nowMs: c.timestampMs });
    assert.equal(r.ok, true, r.ok ? '' : `${r.error.code}: ${r.error.message}`);
    if (!r.ok) return;
    assert.equal(r.scheme, c.scheme);
    assert.equal(r.timestampMs, c.timestampMs);
    const params = [...c.input.query, ...c.input.form];
    const expectedNonce =
      c.scheme === 'ACS3-HMAC-SHA256' ? c.recorded.headers['x-acs-signature-nonce'] : params.find(([k]) => k === 'SignatureNonce')![1];
    assert.equal(r.nonce, expectedNonce);
    if (c.name.startsWith('sts/')) {
      assert.equal(r.accessKeyId, 'STS.testid');
      assert.equal(r.securityToken, 'CAIS-token/+=x');
    } else {
      assert.equal(r.accessKeyId, 'testid');
      assert.equal('securityToken' in r, false);
    }
  });
}

test('signature-walkthrough.txt: the ACS3 StringToSign of ecs-7.11.6/deleteNetworkInterface', () => {
  const c = find('ecs-7.11.6/deleteNetworkInterface.json');
  const creds = parseCredentials(c.input);
  assert.equal(creds.scheme, 'ACS3-HMAC-SHA256');
  if (creds.scheme !== 'ACS3-HMAC-SHA256') return;
  assert.equal(
    acs3StringToSign(c.input, creds.signedHeaders),
    'ACS3-HMAC-SHA256\na321d8e96ce5cb57f3ddc16084c66235b68e4b617416f33d1bb8e71053690a18',
  );
});

test('ACS3 retries sign their x-acs-retry-* headers (so a fixed header list would fail them)', () => {
  const retried = capturedRequests().filter(
    (c) => c.scheme === 'ACS3-HMAC-SHA256' && c.recorded.headers['x-acs-retry-attempts'] !== undefined,
  );
  assert.equal(retried.length, 4);
  for (const c of retried) assert.match(c.recorded.headers['authorization'], /x-acs-retry-attempts;x-acs-retry-delay/);
});
