// The official test vectors of ecs-api.md §3 (RPC v1) and §4 (ACS3).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  acs3Signature,
  acs3StringToSign,
  rpcSignature,
  rpcStringToSign,
  verifySignature,
  type SignedRequestInput,
} from '../../../src/api/signing/index.ts';
import { parseAcsTimestamp } from '../../../src/api/signing/timestamp.ts';
import { lookup } from './captured.ts';

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const rpcInput = (method: string, params: [string, string][], signature: string): SignedRequestInput => ({
  method,
  path: '/',
  query: [...params, ['Signature', signature]],
  form: [],
  headers: { host: 'ecs.aliyuncs.com' },
  rawBody: '',
});

test('RPC v1 GET DescribeRegions (Alibaba docs vector)', () => {
  const params: [string, string][] = [
    ['Timestamp', '2016-02-23T12:46:24Z'],
    ['Format', 'XML'],
    ['AccessKeyId', 'testid'],
    ['Action', 'DescribeRegions'],
    ['SignatureMethod', 'HMAC-SHA1'],
    ['SignatureNonce', '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf'],
    ['Version', '2014-05-26'],
    ['SignatureVersion', '1.0'],
  ];
  const sts = rpcStringToSign('GET', params);
  assert.equal(
    sts,
    'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1' +
      '%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0' +
      '%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26',
  );
  assert.equal(rpcSignature(sts, 'testsecret'), 'OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
  const r = verifySignature(rpcInput('GET', params, 'OLeaidS1JvxuMvnyHOwuJ+uX5qY='), lookup, { nowMs: Date.UTC(2016, 1, 23, 12, 46, 24) });
  assert.deepEqual(r, {
    ok: true,
    scheme: 'RPC-HMAC-SHA1',
    accessKeyId: 'testid',
    timestampMs: Date.UTC(2016, 1, 23, 12, 46, 24),
    nonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
  });
});

test('RPC v1 POST AssignPrivateIpAddresses (CORE + independent Python vector)', () => {
  const params: [string, string][] = [
    ['Action', 'AssignPrivateIpAddresses'],
    ['Format', 'json'],
    ['Version', '2014-05-26'],
    ['Timestamp', '2024-01-01T00:00:00Z'],
    ['SignatureNonce', 'nonce-123'],
    ['SignatureMethod', 'HMAC-SHA1'],
    ['SignatureVersion', '1.0'],
    ['AccessKeyId', 'testid'],
    ['RegionId', 'cn-hangzhou'],
    ['NetworkInterfaceId', 'eni-test'],
    ['PrivateIpAddress.1', '10.0.0.5'],
    ['PrivateIpAddress.2', '10.0.0.6'],
  ];
  assert.equal(rpcSignature(rpcStringToSign('POST', params), 'testsecret'), 'APD+a7a93ZxxMvN6t4YaY36mXhU=');
  const now = parseAcsTimestamp('2024-01-01T00:00:00Z')!;
  assert.equal(verifySignature(rpcInput('POST', params, 'APD+a7a93ZxxMvN6t4YaY36mXhU='), lookup, { nowMs: now }).ok, true);
  // The same params in a form body (pop-core {method:'POST'}, tea-rpc) sign identically.
  const asForm: SignedRequestInput = { ...rpcInput('POST', [], 'APD+a7a93ZxxMvN6t4YaY36mXhU='), form: params };
  assert.equal(verifySignature(asForm, lookup, { nowMs: now }).ok, true);
});

test('ACS3-HMAC-SHA256 AssignPrivateIpAddresses (CORE + independent Python vector)', () => {
  const signedHeaders = ['host', 'x-acs-action', 'x-acs-content-sha256', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-version'];
  const expected = '6d4351d4158e4a9d1883fe8787d193d6d59aac6e977719446bbab56c15d92568';
  const input: SignedRequestInput = {
    method: 'POST',
    path: '/',
    query: [
      ['NetworkInterfaceId', 'eni-test'],
      ['RegionId', 'cn-hangzhou'],
      ['SecondaryPrivateIpAddressCount', '2'],
    ],
    form: [],
    headers: {
      host: 'ecs.cn-hangzhou.aliyuncs.com',
      'x-acs-action': 'AssignPrivateIpAddresses',
      'x-acs-version': '2014-05-26',
      'x-acs-date': '2024-01-01T00:00:00Z',
      'x-acs-signature-nonce': 'nonce-123',
      'x-acs-content-sha256': EMPTY_SHA256,
      authorization: `ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=${signedHeaders.join(';')},Signature=${expected}`,
    },
    rawBody: '',
  };
  assert.equal(acs3Signature(acs3StringToSign(input, signedHeaders), 'testsecret'), expected);
  const r = verifySignature(input, lookup, { nowMs: parseAcsTimestamp('2024-01-01T00:00:00Z')! });
  assert.deepEqual(r, {
    ok: true,
    scheme: 'ACS3-HMAC-SHA256',
    accessKeyId: 'testid',
    timestampMs: Date.UTC(2024, 0, 1),
    nonce: 'nonce-123',
  });
});
