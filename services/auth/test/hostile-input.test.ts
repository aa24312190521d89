import assert from 'node:assert/strict';
import { startAuth, type AuthHarness } from './support.js';

/** Every body-taking route, with what it needs to get past authentication. */
const ROUTES: { method: string; path: string; auth: boolean }[] = [
  { method: 'POST', path: '/auth/register', auth: false },
  { method: 'POST', path: '/register', auth: false },
  { method: 'POST', path: '/auth/token', auth: false },
  { method: 'POST', path: '/token', auth: false },
  { method: 'POST', path: '/auth/refresh', auth: false },
  { method: 'POST', path: '/auth/logout', auth: false },
  { method: 'PATCH', path: '/auth/me', auth: true },
  { method: 'PUT', path: '/auth/password', auth: true },
  { method: 'POST', path: '/auth/email/verification/confirm', auth: true },
  { method: 'POST', path: '/auth/password/forgot', auth: false },
  { method: 'POST', path: '/auth/password/reset', auth: false },
  { method: 'PATCH', path: '/auth/users/x', auth: true },
];

const long = 'x'.repeat(10_000);
const BODIES: [label: string, body: string, type: string][] = [
  ['malformed JSON', '{"email":', 'application/json'],
  ['wrong content type', 'hello', 'text/plain'],
  ['XML', '<a/>', 'application/xml'],
  ['oversize body', JSON.stringify({ email: 'y'.repeat(70_000) }), 'application/json'],
  ['array', '[1,2]', 'application/json'],
  ['null', 'null', 'application/json'],
  [
    'wrong types',
    JSON.stringify({
      email: 1,
      password: {},
      confirm_password: [],
      first_name: true,
      code: 5,
      refresh_token: 7,
      disabled: 'yes',
      roles: 'admin',
    }),
    'application/json',
  ],
  // Five 10k fields stay under the 64 KiB limit, so the fields themselves are judged.
  [
    '10k-character strings',
    JSON.stringify({ email: `${long}@example.com`, password: long, first_name: long, code: long, refresh_token: long }),
    'application/json',
  ],
  [
    'NUL bytes',
    JSON.stringify({
      email: 'nul\u0000@example.com',
      password: 'Aa1!\u0000xxxx',
      confirm_password: 'Aa1!\u0000xxxx',
      first_name: 'A\u0000',
      last_name: 'B',
      code: '\u0000',
      refresh_token: '\u0000',
    }),
    'application/json',
  ],
  [
    'emoji',
    JSON.stringify({
      email: '😀@example.com',
      password: 'Aa1!😀😀😀😀',
      confirm_password: 'Aa1!😀😀😀😀',
      first_name: '😀',
      last_name: '🥐',
      code: '😀',
      refresh_token: '😀',
    }),
    'application/json',
  ],
  [
    'prototype keys',
    '{"__proto__":{"roles":["admin"],"email_verified":true},"constructor":{"prototype":{"roles":["admin"]}},"email":"proto@example.com"}',
    'application/json',
  ],
  ['form body', 'email=a%40b.c&password=x', 'application/x-www-form-urlencoded'],
  ['nested form', 'email[a]=1&__proto__[roles]=admin', 'application/x-www-form-urlencoded'],
];

describe('hostile input to the auth service', () => {
  let auth: AuthHarness;
  let token: string;
  before(async () => {
    auth = await startAuth();
    token = (await auth.verifiedUser('target@example.com')).access;
  });
  after(() => auth.close());

  /** Bodies every route must refuse with one exact status (once past authentication). */
  const EXACT: Record<string, number> = {
    'malformed JSON': 400,
    'wrong content type': 415,
    XML: 415,
    'oversize body': 413,
    array: 422,
    null: 422,
    'wrong types': 422,
  };

  for (const route of ROUTES) {
    it(`${route.method} ${route.path} never answers hostile input with a 5xx, and refuses what is invalid`, async () => {
      for (const [label, body, type] of BODIES) {
        const res = await auth.call(route.method, route.path, {
          body,
          headers: { 'content-type': type },
          ...(route.auth ? { token } : {}),
        });
        assert.ok(res.status < 500, `${label}: ${res.status} ${res.text.slice(0, 200)}`);
        if (res.status >= 400) assert.equal(typeof res.body?.error?.code, 'string', `${label}: ${res.text.slice(0, 200)}`);
        const adminOnly = route.path.startsWith('/auth/users');
        // Bodies are read before guards run (400/413); everything else waits for authorisation.
        const parsedFirst = label === 'malformed JSON' || label === 'oversize body';
        const expected = adminOnly && !parsedFirst ? 403 : EXACT[label];
        if (expected) assert.equal(res.status, expected, `${label}: ${res.text.slice(0, 200)}`);
        const formAllowed = route.path === '/auth/token' || route.path === '/token';
        if (label === 'form body' && !formAllowed && !adminOnly) assert.equal(res.status, 415, label);
      }
    });
  }

  it('never lets a prototype key grant a role or verify an email', async () => {
    const res = await auth.call('POST', '/auth/register', {
      body: '{"__proto__":{"roles":["admin"],"email_verified":true},"email":"proto2@example.com","password":"Correct-Horse1!","confirm_password":"Correct-Horse1!","first_name":"P","last_name":"Q"}',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(res.status, 201);
    assert.deepEqual(res.body.user.roles, ['merchant']);
    assert.equal(res.body.user.email_verified, false);
    assert.equal(({} as Record<string, unknown>).roles, undefined);
  });
});
