// A one-character change anywhere a client's signature covers must fail: every
// param name and value, every signed header value, the form body, the signature
// itself. Run systematically over all 83 captured requests, one character at a
// time (long fields sampled, see positions()), clock pinned to each request.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  acs3Signature,
  parseCredentials,
  rpcSignature,
  verifySignature,
  type SignedRequestInput,
  type VerifyResult,
} from '../../../src/api/signing/index.ts';
import { capturedRequests, cloneInput, lookup, SECRET, type Captured } from './captured.ts';

const MISMATCH = 'SignatureDoesNotMatch';
const DATE_CODES = [MISMATCH, 'IllegalTimestamp', 'InvalidTimeStamp.Format', 'InvalidTimeStamp.Expired'];
const RPC_CONTROL = ['Signature', 'AccessKeyId', 'Timestamp', 'SignatureNonce', 'SignatureMethod', 'SignatureVersion'];

/** A different character of the same class where possible, so dates stay date-shaped. */
function flip(c: string): string {
  if (/[0-8]/.test(c)) return String(Number(c) + 1);
  if (c === '9') return '0';
  if (/[a-yA-Y]/.test(c)) return String.fromCharCode(c.charCodeAt(0) + 1);
  if (c === 'z') return 'a';
  if (c === 'Z') return 'A';
  return c === 'x' ? 'y' : 'x';
}

/** Every position of short fields; for long ones (nonces, hashes) the first 12, the last 12 and every 5th. */
function positions(s: string): number[] {
  const all = [...s].map((_, i) => i);
  return s.length <= 32 ? all : all.filter((i) => i < 12 || i >= s.length - 12 || i % 5 === 0);
}

function* variants(s: string): Generator<string> {
  if (s === '') yield 'x'; // an empty value (NextToken=) is signed too
  for (const i of positions(s)) yield s.slice(0, i) + flip(s[i]) + s.slice(i + 1);
}

/** What a change to this param must produce; most are plain mismatches, RPC control params fail earlier. */
function expectedFor(c: Captured, name: string, part: 'name' | 'value'): string[] {
  if (c.scheme !== 'RPC-HMAC-SHA1' || !RPC_CONTROL.includes(name)) return [MISMATCH];
  if (part === 'name') return ['MissingParameter']; // the param is gone (and a new, unknown one signed)
  if (name === 'AccessKeyId') return ['InvalidAccessKeyId.NotFound'];
  if (name === 'SignatureMethod' || name === 'SignatureVersion') return ['InvalidParamater'];
  if (name === 'Timestamp') return DATE_CODES;
  return [MISMATCH];
}

function check(c: Captured, input: SignedRequestInput, expected: string[], what: string): VerifyResult {
  const r = verifySignature(input, lookup, { nowMs: c.timestampMs });
  assert.equal(r.ok, false, `${c.name}: ${what} was accepted`);
  if (r.ok) return r;
  assert.ok(expected.includes(r.error.code), `${c.name}: ${what} gave ${r.error.code}, expected ${expected.join('|')}`);
  if (r.error.code === MISMATCH) {
    assert.ok(r.error.message.startsWith('Specified signature is not matched with our calculation. server string to sign is:'));
    assert.equal(r.error.message.endsWith(r.stringToSign!), true);
    // Neither the secret, nor what the client sent, nor what it should have sent.
    const shouldBe = c.scheme === 'ACS3-HMAC-SHA256' ? acs3Signature(r.stringToSign!, SECRET) : rpcSignature(r.stringToSign!, SECRET);
    for (const leak of [SECRET, c.signature, shouldBe]) assert.equal(r.error.message.includes(leak), false, `${what} leaks`);
  }
  return r;
}

function tamperParams(c: Captured, where: 'query' | 'form'): number {
  let n = 0;
  c.input[where].forEach(([name, value], idx) => {
    for (const part of ['name', 'value'] as const) {
      for (const changed of variants(part === 'name' ? name : value)) {
        const input = cloneInput(c.input);
        input[where][idx] = part === 'name' ? [changed, value] : [name, changed];
        check(c, input, expectedFor(c, name, part), `${where} ${part} of ${name} -> ${JSON.stringify(changed)}`);
        n++;
      }
    }
  });
  return n;
}

function tamperAcs3Headers(c: Captured): number {
  const creds = parseCredentials(c.input);
  assert.equal(creds.scheme, 'ACS3-HMAC-SHA256');
  if (creds.scheme !== 'ACS3-HMAC-SHA256') return 0;
  let n = 0;
  for (const h of creds.signedHeaders) {
    for (const changed of variants(c.recorded.headers[h])) {
      const input = cloneInput(c.input);
      input.headers[h] = changed;
      const r = check(c, input, h === 'x-acs-date' ? DATE_CODES : [MISMATCH], `header ${h} -> ${changed}`);
      if (h === 'x-acs-content-sha256' && !r.ok) assert.equal(r.kind, 'ContentSha256Mismatch');
      n++;
    }
  }
  const auth = c.recorded.headers['authorization'];
  for (const changed of variants(c.signature)) {
    const input = cloneInput(c.input);
    input.headers['authorization'] = auth.replace(`Signature=${c.signature}`, `Signature=${changed}`);
    check(c, input, [MISMATCH], `ACS3 Signature -> ${changed}`);
    n++;
  }
  return n;
}

// The pipeline parses a form body into `form`; so does this, after changing one byte of the raw body.
function tamperFormBody(c: Captured): number {
  const parse = (body: string): [string, string][] => [...new URLSearchParams(body)];
  const original = parse(c.input.rawBody);
  let n = 0;
  for (const changed of variants(c.input.rawBody)) {
    const form = parse(changed);
    const input: SignedRequestInput = { ...cloneInput(c.input), rawBody: changed, form };
    let expected = [MISMATCH, 'MissingParameter', 'IncompleteSignature', 'InvalidAccessKeyId.NotFound', 'InvalidParamater', ...DATE_CODES];
    if (form.length === original.length) {
      // the byte landed inside one name or value, not on & or =
      const i = form.findIndex(([k, v], j) => k !== original[j][0] || v !== original[j][1]);
      assert.ok(i >= 0, `${c.name}: body change ${i} did not change any param`);
      expected = expectedFor(c, original[i][0], form[i][0] !== original[i][0] ? 'name' : 'value');
    }
    check(c, input, expected, `body byte -> ${changed.slice(0, 60)}…`);
    n++;
  }
  return n;
}

for (const c of capturedRequests()) {
  test(`tampering with ${c.name} fails`, () => {
    let n = tamperParams(c, 'query') + tamperParams(c, 'form');
    if (c.scheme === 'ACS3-HMAC-SHA256') n += tamperAcs3Headers(c);
    if (c.input.rawBody !== '') n += tamperFormBody(c);
    assert.ok(n > 20, `only ${n} mutations`);
  });
}

test('headers outside the signature do not matter (user-agent, connection, RPC x-acs-action)', () => {
  for (const c of capturedRequests()) {
    const input = cloneInput(c.input);
    input.headers['user-agent'] = 'curl/8';
    delete input.headers['connection'];
    if (c.scheme === 'RPC-HMAC-SHA1') input.headers['x-acs-action'] = 'SomethingElse';
    assert.equal(verifySignature(input, lookup, { nowMs: c.timestampMs }).ok, true, c.name);
  }
});
