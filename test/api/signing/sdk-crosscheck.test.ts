// Property test against the signer itself: random params and header values are
// signed by the official @alicloud/openapi-core (OpenApiUtil.getAuthorization /
// getRPCSignature, the code the ecs SDK runs) and must verify here; changing
// one value afterwards must not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OpenApiUtil } from '@alicloud/openapi-core';
import fc from 'fast-check';
import { verifySignature, type SignedRequestInput } from '../../../src/api/signing/index.ts';
import { lookup, SECRET } from './captured.ts';

const NOW = Date.UTC(2026, 10, 25, 18, 0, 0);
const DATE = '2026-11-25T18:00:00Z';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const CONTROL = new Set([
  'Signature',
  'AccessKeyId',
  'Timestamp',
  'SignatureNonce',
  'SignatureMethod',
  'SignatureVersion',
  'SecurityToken',
]);

// openapi-core's ACS3 path puts keys in the canonical query unencoded, so keep ACS3 keys to the
// characters real ECS names use; values (and RPC keys, which it does encode) range over all of Unicode.
const acs3Key = fc.stringMatching(/^[A-Za-z][A-Za-z0-9.]{0,20}$/);
const anyValue = fc.string({ unit: 'grapheme', maxLength: 24 });
// "__proto__" is not a key a JS object (the SDK's params) can hold, so the SDK never sends it.
const rpcKey = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).filter((k) => !CONTROL.has(k) && k !== '__proto__');
const dict = (key: fc.Arbitrary<string>) => fc.dictionary(key, anyValue, { maxKeys: 8 });

test('ACS3: whatever openapi-core signs verifies, and a changed value does not', () => {
  fc.assert(
    fc.property(dict(acs3Key), anyValue, fc.boolean(), (query, extraHeader, post) => {
      const headers: Record<string, string> = {
        host: '127.0.0.1:41509',
        'x-acs-action': 'DescribeNetworkInterfaces',
        'x-acs-version': '2014-05-26',
        'x-acs-date': DATE,
        'x-acs-signature-nonce': 'abc123',
        'x-acs-content-sha256': EMPTY_SHA256,
        'x-acs-credentials-provider': 'static_ak',
        'x-acs-extra': extraHeader.replace(/[\r\n]/g, ''),
      };
      const method = post ? 'POST' : 'GET';
      const authorization = OpenApiUtil.getAuthorization(
        { pathname: '/', method, query, headers } as never,
        'ACS3-HMAC-SHA256',
        EMPTY_SHA256,
        'testid',
        SECRET,
      );
      const input: SignedRequestInput = {
        method,
        path: '/',
        query: Object.entries(query),
        form: [],
        headers: { ...headers, authorization },
        rawBody: '',
      };
      const r = verifySignature(input, lookup, { nowMs: NOW });
      assert.equal(r.ok, true, r.ok ? '' : r.error.message);
      if (input.query.length > 0) {
        input.query[0] = [input.query[0][0], `${input.query[0][1]}!`];
        assert.equal(verifySignature(input, lookup, { nowMs: NOW }).ok, false);
      }
    }),
    { numRuns: 300 },
  );
});

test('RPC v1: whatever openapi-core signs verifies (query or form body, GET or POST)', () => {
  fc.assert(
    fc.property(dict(rpcKey), fc.boolean(), fc.boolean(), (business, post, inBody) => {
      const common = {
        Action: 'DescribeNetworkInterfaces',
        Format: 'json',
        Version: '2014-05-26',
        Timestamp: DATE,
        SignatureNonce: 'n-1',
        SignatureMethod: 'HMAC-SHA1',
        SignatureVersion: '1.0',
        AccessKeyId: 'testid',
      };
      const method = post ? 'POST' : 'GET';
      const signature = OpenApiUtil.getRPCSignature({ ...common, ...business }, method, SECRET);
      const all: [string, string][] = [...Object.entries(common), ...Object.entries(business), ['Signature', signature]];
      const input: SignedRequestInput = {
        method,
        path: '/',
        query: inBody ? [] : all,
        form: inBody ? all : [],
        headers: { host: 'x' },
        rawBody: '',
      };
      const r = verifySignature(input, lookup, { nowMs: NOW });
      assert.equal(r.ok, true, r.ok ? '' : r.error.message);
    }),
    { numRuns: 300 },
  );
});
