import type { z } from 'zod';
import type { MfaRequiredError } from '../src/http/mfa-schemas.js';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import type { AuthHarness } from './support.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (no padding), as authenticator apps read the secret. */
export function base32Decode(text: string): Buffer {
  let bits = '';
  for (const char of text.replace(/=+$/, '').toUpperCase()) {
    const value = BASE32.indexOf(char);
    assert.ok(value >= 0, `not base32: ${char}`);
    bits += value.toString(2).padStart(5, '0');
  }
  const bytes = bits.match(/.{8}/g) ?? [];
  return Buffer.from(bytes.map((byte) => parseInt(byte, 2)));
}

/**
 * RFC 6238 computed here, independently of the service's library: HOTP (RFC 4226) of the
 * 30-second step, HMAC-SHA-1, dynamic truncation, `digits` decimal digits.
 */
export function totpAt(key: Buffer, unixSeconds: number, digits = 6): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The code a phone shows now for a base32 secret; `steps` moves the clock by whole 30 s steps. */
export const currentCode = (secret: string, steps = 0) => totpAt(base32Decode(secret), Date.now() / 1000 + steps * 30);

export interface TotpEnrolment {
  factor_id: string;
  secret: string;
  otpauth_uri: string;
  qr_svg: string;
}

export async function startTotp(auth: AuthHarness, access: string, name?: string): Promise<TotpEnrolment> {
  const res = await auth.call('POST', '/auth/mfa/totp', { token: access, json: name ? { name } : {} });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

/** A verified user with a confirmed authenticator app: its secret, and the recovery codes that came with it. */
export async function totpUser(auth: AuthHarness, email: string) {
  const user = await auth.verifiedUser(email);
  const enrolment = await startTotp(auth, user.access);
  const confirmed = await auth.call('POST', `/auth/mfa/totp/${enrolment.factor_id}/confirm`, {
    token: user.access,
    json: { code: currentCode(enrolment.secret) },
  });
  assert.equal(confirmed.status, 200, confirmed.text);
  return { ...user, secret: enrolment.secret, factorId: enrolment.factor_id, recoveryCodes: confirmed.body.recovery_codes as string[] };
}

/**
 * Signs in with the password and the authenticator app: an access token with `mfa` in `amr`, as the
 * routes marked *recent* want from a user who has a factor. Uses the next time step, so it never
 * replays the code that confirmed the factor.
 */
export async function signInWithTotp(auth: AuthHarness, email: string, secret: string): Promise<string> {
  const finished = await verify(auth, { mfa_token: await mfaToken(auth, email), code: currentCode(secret, 1) });
  assert.equal(finished.status, 200, finished.text);
  return finished.body.access_token as string;
}

/** Signs in with the password and expects 401 mfa_required; returns its mfa_token. */
export async function mfaToken(auth: AuthHarness, email: string): Promise<string> {
  const res = await auth.signIn<MfaRequiredBody>(email);
  assert.equal(res.status, 401, res.text);
  assert.equal(res.body.error.code, 'mfa_required');
  return res.body.error.mfa!.mfa_token;
}

export const verify = (auth: AuthHarness, json: Record<string, unknown>) => auth.call('POST', '/auth/mfa/verify', { json });

/** The 401 `mfa_required` body: the contract's error with its one extra member. */
export type MfaRequiredBody = z.output<typeof MfaRequiredError>;
