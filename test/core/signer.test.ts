// Signer vectors. The expected signatures were computed independently of this code with
//   printf '%s' "$CANONICAL" | openssl dgst -sha256 -hmac "$KEY"
// over the canonical strings written out by hand below (see the shell recipe in each comment).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EMPTY_BODY_SHA256,
  canonicalQuery,
  canonicalString,
  computeSignature,
  encodeRfc3986,
  parseRawQuery,
  sha256Hex,
  signRequest,
  signatureMatches,
} from '../../src/core/signer';

const KEY = 'k3y-Ü/with+chars=';

test('query with reserved, repeated and non-ASCII parameters: sorted, RFC 3986 encoded', () => {
  const query = { vendor: 'dji', 'a&b': 'x=y*', device_id: 'dock 001/A', tag: ['b', 'a'], name: 'été' };
  const expectedQuery = 'a%26b=x%3Dy%2A&device_id=dock%20001%2FA&name=%C3%A9t%C3%A9&tag=a&tag=b&vendor=dji';
  assert.equal(canonicalQuery(query), expectedQuery);
  const input = {
    method: 'get',
    path: '/api/v1/open/device-requests',
    query,
    apiId: 'app-123',
    timestamp: 1767225600,
    nonce: '6f1c2a9e-0d4b-4a57-9a57-3b8f2f0e7c11',
  };
  assert.equal(
    canonicalString(input),
    [
      'UTMOS-HMAC-SHA256',
      'GET',
      '/api/v1/open/device-requests',
      expectedQuery,
      'app-123',
      '1767225600',
      '6f1c2a9e-0d4b-4a57-9a57-3b8f2f0e7c11',
      EMPTY_BODY_SHA256,
    ].join('\n'),
  );
  assert.equal(computeSignature(input, KEY), 'c854051d8d92b04f55e1c95d3371b3647bc89fc0b3662dec5bede00734352fcb');
});

test('non-ASCII JSON body: the SHA-256 of the exact UTF-8 bytes is signed', () => {
  const body = Buffer.from(
    '{"vendor":"dji","device_id":"dock-001","command_type":"speaker_tts_play_start","payload":{"text":"巡检开始 ✓ café"},"idempotency_key":"k-1","timeout_seconds":30}',
    'utf8',
  );
  assert.equal(sha256Hex(body), '0a2e74c60c1301f82b4c8641d9e7da874a2364b47daddfb4a2ce0e0e119b5cfc');
  const headers = signRequest(
    { method: 'POST', path: '/api/v1/open/downlink/commands', body, apiId: 'app-123', timestamp: '1767225601', nonce: 'nonce-2' },
    KEY,
  );
  assert.deepEqual(headers, {
    'X-Api-Id': 'app-123',
    'X-Api-Timestamp': '1767225601',
    'X-Api-Nonce': 'nonce-2',
    'X-Api-Signature': '54c535fe9c3ff955d68b19caad852ccdf08b8fd645741080809b329d74820cdb',
  });
  // The same text given as a string signs the same bytes.
  assert.equal(
    computeSignature(
      { method: 'POST', path: '/api/v1/open/downlink/commands', body: body.toString('utf8'), apiId: 'app-123', timestamp: 1767225601, nonce: 'nonce-2' },
      KEY,
    ),
    headers['X-Api-Signature'],
  );
});

test('empty body and no query: empty query line and the SHA-256 of the empty string', () => {
  const input = {
    method: 'GET',
    path: '/api/v1/open/downlink/commands/100e2826-e45b-50cb-b41f-e8df6d20bea2',
    apiId: 'app-123',
    timestamp: 1767225602,
    nonce: 'nonce-3',
  };
  assert.equal(sha256Hex(undefined), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(sha256Hex(Buffer.alloc(0)), EMPTY_BODY_SHA256);
  assert.equal(canonicalString(input).split('\n')[3], '');
  assert.equal(canonicalString({ ...input, body: '' }), canonicalString(input));
  assert.equal(computeSignature(input, KEY), '5e40bf1410c3a32f7435c0fc30f397f6756e5ce68475621b001008fed9c1576e');
});

test('signatures are 64 lowercase hex characters and change with every signed part', () => {
  const base = { method: 'POST', path: '/p', query: { a: '1' }, body: '{}', apiId: 'id', timestamp: 1, nonce: 'n' };
  const sig = computeSignature(base, KEY);
  assert.match(sig, /^[0-9a-f]{64}$/);
  const variants = [
    { ...base, method: 'GET' },
    { ...base, path: '/q' },
    { ...base, query: { a: '2' } },
    { ...base, body: '{ }' },
    { ...base, apiId: 'id2' },
    { ...base, timestamp: 2 },
    { ...base, nonce: 'm' },
  ];
  for (const v of variants) assert.notEqual(computeSignature(v, KEY), sig);
  assert.notEqual(computeSignature(base, KEY + 'x'), sig);
});

test('encodeRfc3986 leaves only unreserved characters unescaped', () => {
  assert.equal(encodeRfc3986("A-z_0.9~!*'() +/?#[]@&=$,;:"), 'A-z_0.9~%21%2A%27%28%29%20%2B%2F%3F%23%5B%5D%40%26%3D%24%2C%3B%3A');
});

test('parseRawQuery inverts the encoding so the receiving side rebuilds the same canonical query', () => {
  const query = { vendor: 'dji', 'a&b': 'x=y*', device_id: 'dock 001/A', tag: ['b', 'a'], name: 'été', plus: 'a+b' };
  const wire = canonicalQuery(query);
  assert.equal(canonicalQuery(parseRawQuery(wire)), wire);
  // '+' is a literal plus in RFC 3986, not a space.
  assert.deepEqual(parseRawQuery('q=a+b'), [['q', 'a+b']]);
  assert.deepEqual(parseRawQuery(''), []);
  assert.deepEqual(parseRawQuery('bad=%E0%A4%A'), [['bad', '%E0%A4%A']]);
});

test('signatureMatches is exact and constant-time safe on length mismatch', () => {
  const input = { method: 'GET', path: '/p', apiId: 'id', timestamp: 1, nonce: 'n' };
  const sig = computeSignature(input, KEY);
  assert.equal(signatureMatches(input, KEY, sig), true);
  assert.equal(signatureMatches(input, KEY, sig.toUpperCase()), false);
  assert.equal(signatureMatches(input, KEY, sig.slice(1)), false);
  assert.equal(signatureMatches(input, 'other', sig), false);
});
