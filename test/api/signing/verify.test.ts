// verifySignature's decisions besides "signature matches": freshness, unknown
// keys, the ACS3 body hash, malformed credentials, and the exact wire codes.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  acs3Signature,
  acs3StringToSign,
  DEFAULT_MAX_SKEW_MS,
  rpcSignature,
  rpcStringToSign,
  verifySignature,
  type SignedRequestInput,
  type VerifyResult,
} from '../../../src/api/signing/index.ts';
import { parseAcsTimestamp } from '../../../src/api/signing/timestamp.ts';
import { cloneInput, find, lookup, SECRET } from './captured.ts';

const acs3 = find('ecs-7.11.6/deleteNetworkInterface.json');
const rpcGet = find('popcore-1.8.0/DeleteNetworkInterface-GET.json');
const rpcPost = find('popcore-1.8.0/AssignPrivateIpAddresses-list-POST.json');
const MIN = 60_000;

function failure(r: VerifyResult): Extract<VerifyResult, { ok: false }> {
  assert.equal(r.ok, false, 'expected a failure');
  if (r.ok) throw new Error('unreachable');
  assert.equal(r.error.status, 400);
  return r;
}

describe('freshness (±15 min)', () => {
  for (const c of [acs3, rpcGet, rpcPost]) {
    test(c.name, () => {
      const at = (offsetMs: number) => verifySignature(c.input, lookup, { nowMs: c.timestampMs + offsetMs });
      for (const ok of [0, 15 * MIN, -15 * MIN, 14 * MIN + 59_999]) assert.equal(at(ok).ok, true, `offset ${ok}`);
      for (const late of [15 * MIN + 1, -15 * MIN - 1, 16 * MIN, -60 * MIN, 365 * 24 * 60 * MIN]) {
        const r = failure(at(late));
        assert.equal(r.error.code, 'InvalidTimeStamp.Expired');
        assert.equal(r.error.message, 'Specified time stamp or date value is expired.');
        assert.equal(r.accessKeyId, 'testid');
      }
      assert.equal(DEFAULT_MAX_SKEW_MS, 15 * MIN);
      assert.equal(verifySignature(c.input, lookup, { nowMs: c.timestampMs + 2 * MIN, maxSkewMs: MIN }).ok, false);
    });
  }
  test('an expired request with a bad signature reports the signature, not the clock', () => {
    const input = cloneInput(rpcGet.input);
    input.query.push(['Extra', '1']);
    assert.equal(failure(verifySignature(input, lookup, { nowMs: rpcGet.timestampMs + 60 * MIN })).error.code, 'SignatureDoesNotMatch');
  });
});

test('unknown or empty-secret access key -> InvalidAccessKeyId.NotFound', () => {
  for (const c of [acs3, rpcGet, rpcPost]) {
    for (const look of [() => undefined, () => '']) {
      const r = failure(verifySignature(c.input, look, { nowMs: c.timestampMs }));
      assert.equal(r.error.code, 'InvalidAccessKeyId.NotFound');
      assert.equal(r.error.message, 'Specified access key is not found.');
    }
  }
  // The wrong secret for a known key is a plain mismatch.
  assert.equal(failure(verifySignature(acs3.input, () => 'other', { nowMs: acs3.timestampMs })).error.code, 'SignatureDoesNotMatch');
});

test('a timestamp with milliseconds (Date.toISOString(), older SDKs) is accepted by both schemes, to the millisecond', () => {
  for (const c of [rpcGet, acs3]) {
    const input = cloneInput(c.input);
    const ms = new Date(c.timestampMs + 358).toISOString();
    assert.match(ms, /\.358Z$/);
    if (c === acs3) input.headers['x-acs-date'] = ms;
    else input.query = input.query.map(([k, v]) => [k, k === 'Timestamp' ? ms : v]);
    // Past the timestamp check the old signature no longer matches; sign what the server computed.
    const mismatch = failure(verifySignature(input, lookup, { nowMs: c.timestampMs }));
    assert.equal(mismatch.error.code, 'SignatureDoesNotMatch');
    if (c === acs3) {
      input.headers.authorization = String(input.headers.authorization).replace(
        /Signature=[0-9a-f]+/,
        `Signature=${acs3Signature(mismatch.stringToSign!, SECRET)}`,
      );
    } else input.query = input.query.map(([k, v]) => [k, k === 'Signature' ? rpcSignature(mismatch.stringToSign!, SECRET) : v]);
    const r = verifySignature(input, lookup, { nowMs: c.timestampMs });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.timestampMs, c.timestampMs + 358);
  }
  for (const ts of ['2026-11-25T18:00:28.1Z', '2026-11-25T18:00:28.12Z']) assert.ok(parseAcsTimestamp(ts) !== undefined, ts);
  assert.equal(parseAcsTimestamp('2026-11-25T18:00:28.5Z'), Date.UTC(2026, 10, 25, 18, 0, 28, 500));
});

describe('timestamps that are not YYYY-MM-DDThh:mm:ssZ (or with milliseconds) -> IllegalTimestamp (RPC), InvalidTimeStamp.Format (ACS3), as the gateway answers', () => {
  const bad = [
    '2026-11-25T18:00:28.1234Z',
    '2026-11-25T18:00:28.Z',
    '2026-11-25T18:00:28+08:00',
    '2026-11-25 18:00:28Z',
    '2026-02-30T00:00:00Z',
    '2026-11-25T24:00:00Z',
    'Wed, 25 Nov 2026 18:00:28 GMT',
    '1795629628',
  ];
  for (const ts of bad) {
    test(ts, () => {
      const r1 = cloneInput(rpcGet.input);
      r1.query = r1.query.map(([k, v]) => [k, k === 'Timestamp' ? ts : v]);
      const f1 = failure(verifySignature(r1, lookup, { nowMs: rpcGet.timestampMs }));
      assert.equal(f1.error.code, 'IllegalTimestamp');
      assert.equal(f1.error.message, 'The input parameter "Timestamp" that is mandatory for processing this request is not supplied.');
      const r2 = cloneInput(acs3.input);
      r2.headers['x-acs-date'] = ts;
      const f2 = failure(verifySignature(r2, lookup, { nowMs: acs3.timestampMs }));
      assert.equal(f2.error.code, 'InvalidTimeStamp.Format');
      assert.equal(f2.error.message, 'Specified time stamp or date value is not well formatted.');
    });
  }
});

describe('missing pieces -> MissingParameter naming the parameter', () => {
  test('unsigned request', () => {
    const r = failure(
      verifySignature({ method: 'GET', path: '/', query: [['Action', 'X']], form: [], headers: {}, rawBody: '' }, lookup, { nowMs: 0 }),
    );
    assert.equal(r.error.code, 'MissingParameter');
    assert.equal(r.error.message, 'The input parameter "Signature" that is mandatory for processing this request is not supplied.');
  });
  for (const name of ['AccessKeyId', 'Timestamp', 'SignatureNonce', 'SignatureMethod', 'SignatureVersion']) {
    test(`RPC ${name}`, () => {
      for (const value of [undefined, '']) {
        const input = cloneInput(rpcGet.input);
        input.query = input.query.flatMap(([k, v]): [string, string][] =>
          k !== name ? [[k, v]] : value === undefined ? [] : [[k, value]],
        );
        const r = failure(verifySignature(input, lookup, { nowMs: rpcGet.timestampMs }));
        assert.equal(r.error.code, 'MissingParameter');
        assert.match(r.error.message, new RegExp(`^The input parameter "${name}" that is mandatory`));
      }
    });
  }
  for (const name of ['x-acs-date', 'x-acs-signature-nonce']) {
    test(`ACS3 ${name}`, () => {
      const input = cloneInput(acs3.input);
      delete input.headers[name];
      const r = failure(verifySignature(input, lookup, { nowMs: acs3.timestampMs }));
      assert.equal(r.error.code, 'MissingParameter');
      assert.match(r.error.message, new RegExp(`"${name}"`));
    });
  }
});

describe('RPC SignatureMethod / SignatureVersion -> InvalidParamater (sic)', () => {
  for (const [name, value] of [
    ['SignatureMethod', 'HMAC-SHA256'],
    ['SignatureMethod', 'hmac-sha1'],
    ['SignatureVersion', '2.0'],
  ]) {
    test(`${name}=${value}`, () => {
      const input = cloneInput(rpcGet.input);
      input.query = input.query.map(([k, v]) => [k, k === name ? value : v]);
      const r = failure(verifySignature(input, lookup, { nowMs: rpcGet.timestampMs }));
      assert.equal(r.error.code, 'InvalidParamater');
      assert.match(r.error.message, new RegExp(`"${name}"`));
    });
  }
});

describe('malformed or unsupported Authorization', () => {
  const sig = acs3.signature;
  const cases: [string, string, string][] = [
    ['ACS3-HMAC-SM3 Credential=testid,SignedHeaders=host,Signature=ab', 'InvalidParamater', 'UnsupportedAlgorithm'],
    ['ACS3-RSA-SHA256 Credential=testid,SignedHeaders=host,Signature=ab', 'InvalidParamater', 'UnsupportedAlgorithm'],
    ['ACS3-HMAC-SHA256', 'IncompleteSignature', 'IncompleteSignature'],
    [`ACS3-HMAC-SHA256 SignedHeaders=host,Signature=${sig}`, 'IncompleteSignature', 'IncompleteSignature'],
    ['ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host', 'IncompleteSignature', 'IncompleteSignature'],
    [`ACS3-HMAC-SHA256 Credential=testid,Signature=${sig}`, 'IncompleteSignature', 'IncompleteSignature'],
    [`ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;;x-acs-date,Signature=${sig}`, 'IncompleteSignature', 'IncompleteSignature'],
    [`ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;host,Signature=${sig}`, 'IncompleteSignature', 'IncompleteSignature'],
    [`ACS3-HMAC-SHA256 Credential=testid,Credential=x,SignedHeaders=host,Signature=${sig}`, 'IncompleteSignature', 'IncompleteSignature'],
    [`ACS3-HMAC-SHA256 Credential=testid,Region=x,SignedHeaders=host,Signature=${sig}`, 'IncompleteSignature', 'IncompleteSignature'],
    ['Bearer abc', 'IncompleteSignature', 'IncompleteSignature'],
  ];
  for (const [authorization, code, kind] of cases) {
    test(authorization, () => {
      const input = cloneInput(acs3.input);
      input.headers['authorization'] = authorization;
      const r = failure(verifySignature(input, lookup, { nowMs: acs3.timestampMs }));
      assert.equal(r.error.code, code);
      assert.equal(r.kind, kind);
    });
  }
  test('every x-acs-* header present, and host, must be signed', () => {
    for (const drop of ['host', 'x-acs-action', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-credentials-provider']) {
      const input = cloneInput(acs3.input);
      input.headers['authorization'] = (input.headers['authorization'] as string).replace(
        /SignedHeaders=([^,]+)/,
        (_, list: string) =>
          `SignedHeaders=${list
            .split(';')
            .filter((h) => h !== drop)
            .join(';')}`,
      );
      const r = failure(verifySignature(input, lookup, { nowMs: acs3.timestampMs }));
      assert.equal(r.error.code, 'IncompleteSignature', drop);
      assert.match(r.error.message, new RegExp(`"${drop}" is present but not signed`));
    }
    const added = cloneInput(acs3.input);
    added.headers['x-acs-security-token'] = 'smuggled';
    assert.equal(failure(verifySignature(added, lookup, { nowMs: acs3.timestampMs })).error.code, 'IncompleteSignature');
  });
  test('a repeated RPC control param is ambiguous', () => {
    for (const name of ['Signature', 'Timestamp', 'AccessKeyId']) {
      const input = cloneInput(rpcGet.input);
      input.query.push([name, input.query.find(([k]) => k === name)![1]]);
      assert.equal(failure(verifySignature(input, lookup, { nowMs: rpcGet.timestampMs })).error.code, 'IncompleteSignature', name);
    }
  });
  test('ACS3 wins over a Signature param (sdk-wire.md §7.1)', () => {
    const input = cloneInput(acs3.input);
    input.query.push(['Signature', 'bogus']);
    const r = verifySignature(input, lookup, { nowMs: acs3.timestampMs });
    // Signature is an ordinary signed query param to ACS3, so adding it breaks the ACS3 signature.
    assert.equal(failure(r).error.code, 'SignatureDoesNotMatch');
  });
});

// No captured ACS3 request has a body, so build one: form params in the body, covered by x-acs-content-sha256.
describe('ACS3 with a body', () => {
  const body = 'NetworkInterfaceName=my%20eni&Description=x%2Ay';
  const sha = (s: string) => createHash('sha256').update(s).digest('hex');
  function signed(rawBody = body): SignedRequestInput {
    const input: SignedRequestInput = {
      method: 'POST',
      path: '/',
      query: [['RegionId', 'cn-hangzhou']],
      form: [...new URLSearchParams(rawBody)],
      headers: {
        host: 'ecs.example:8080',
        'content-type': 'application/x-www-form-urlencoded',
        'x-acs-action': 'CreateNetworkInterface',
        'x-acs-version': '2014-05-26',
        'x-acs-date': '2026-11-25T18:00:00Z',
        'x-acs-signature-nonce': 'n-1',
        'x-acs-content-sha256': sha(rawBody),
      },
      rawBody,
    };
    const names = Object.keys(input.headers).sort();
    input.headers['authorization'] =
      `ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=${names.join(';')},Signature=${acs3Signature(acs3StringToSign(input, names), SECRET)}`;
    return input;
  }
  const now = { nowMs: Date.UTC(2026, 10, 25, 18) };
  test('verifies', () => assert.equal(verifySignature(signed(), lookup, now).ok, true));
  test('a changed body fails, whether or not x-acs-content-sha256 follows it', () => {
    const changed = cloneInput(signed());
    changed.rawBody = body.replace('eni', 'enj');
    const r1 = failure(verifySignature(changed, lookup, now));
    assert.equal(r1.error.code, 'SignatureDoesNotMatch');
    assert.equal(r1.kind, 'ContentSha256Mismatch');
    changed.headers['x-acs-content-sha256'] = sha(changed.rawBody);
    const r2 = failure(verifySignature(changed, lookup, now));
    assert.equal(r2.error.code, 'SignatureDoesNotMatch');
    assert.equal(r2.kind, 'SignatureMismatch');
  });
  test('a changed x-acs-content-sha256 fails', () => {
    const changed = cloneInput(signed());
    changed.headers['x-acs-content-sha256'] = sha('other');
    assert.equal(failure(verifySignature(changed, lookup, now)).kind, 'ContentSha256Mismatch');
  });
  test('content-type must be signed when there is a body', () => {
    const input = signed();
    const names = Object.keys(input.headers)
      .filter((h) => h !== 'authorization' && h !== 'content-type')
      .sort();
    input.headers['authorization'] =
      `ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=${names.join(';')},Signature=${acs3Signature(acs3StringToSign(input, names), SECRET)}`;
    assert.equal(failure(verifySignature(input, lookup, now)).error.code, 'IncompleteSignature');
  });
});

test('STS: the security token is returned, from the header (ACS3) or the param (RPC)', () => {
  for (const name of ['sts/ecs-7.11.6-acs3-sts.json', 'sts/ecs-7.11.6-sigv2-sts.json', 'sts/popcore-1.8.0-sts.json']) {
    const c = find(name);
    const r = verifySignature(c.input, lookup, { nowMs: c.timestampMs });
    assert.equal(r.ok && r.securityToken, 'CAIS-token/+=x', name);
  }
});

test('the SignatureDoesNotMatch message carries the server StringToSign and nothing secret', () => {
  for (const c of [acs3, rpcGet, rpcPost]) {
    const r = failure(verifySignature(c.input, () => 'wrongsecret', { nowMs: c.timestampMs }));
    assert.equal(r.error.code, 'SignatureDoesNotMatch');
    const sts = r.stringToSign!;
    assert.equal(r.error.message, `Specified signature is not matched with our calculation. server string to sign is:${sts}`);
    if (c.scheme === 'RPC-HMAC-SHA1') {
      assert.equal(sts, rpcStringToSign(c.input.method, [...c.input.query, ...c.input.form]));
    } else {
      assert.match(sts, /^ACS3-HMAC-SHA256\n[0-9a-f]{64}$/);
    }
    const expected = c.scheme === 'RPC-HMAC-SHA1' ? rpcSignature(sts, 'wrongsecret') : acs3Signature(sts, 'wrongsecret');
    for (const leak of ['wrongsecret', SECRET, expected, c.signature]) assert.equal(JSON.stringify(r).includes(leak), false, leak);
  }
});
