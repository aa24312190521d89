import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { invalidToken } from '../errors.js';
import type { KeyResolver } from './keys.js';
import type { RevocationCheck } from './revocation-list.js';

export const AUTH_METHODS = ['password', 'google', 'passkey'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

export const AccessTokenClaims = z.object({
  iss: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
  sub: z.string().min(1),
  iat: z.number(),
  exp: z.number(),
  jti: z.string(),
  email: z.string(),
  email_verified: z.boolean(),
  name: z.string(),
  roles: z.array(z.string()),
  auth_method: z.enum(AUTH_METHODS),
  /** The session (refresh-token family); tokens of a revoked session are refused. */
  sid: z.string().optional(),
  /** How the session was authenticated (RFC 8176 values: `pwd`, `fed`, `hwk`, `otp`, `mfa`); absent in v1 tokens. */
  amr: z.array(z.string()).optional(),
  /** Unix seconds of the last time the person proved who they are; a refresh keeps it. Absent in v1 tokens. */
  auth_time: z.number().optional(),
});
export type AccessTokenClaims = z.infer<typeof AccessTokenClaims>;

/** `amr` values that show a second factor, or a passkey (possession and user verification in one). */
const MULTI_FACTOR_AMR = ['mfa', 'hwk'];

export const signedInWithMultiFactor = (amr: string[] | undefined): boolean =>
  amr?.some((value) => MULTI_FACTOR_AMR.includes(value)) ?? false;

/** The person proved who they are at most `maxAgeSeconds` ago; a v1 token (no `auth_time`) never did. */
export const signedInWithin = (authTime: number | undefined, maxAgeSeconds: number): boolean =>
  authTime !== undefined && Date.now() / 1000 - authTime <= maxAgeSeconds;

/** At most 30 s of clock skew, as the contract allows. */
const CLOCK_TOLERANCE_SECONDS = 30;

/**
 * Verifies access tokens: RS256 only (so `none` and HS256-with-the-public-key are refused
 * before any key is consulted), a known `kid`, the configured issuer and audience, and, when
 * given a revocation list, a user and session that were not revoked after the token was issued.
 */
export class AccessTokenVerifier {
  constructor(
    private readonly keys: KeyResolver,
    private readonly expected: { issuer: string; audience: string },
    private readonly revocations?: RevocationCheck,
  ) {}

  async verify(token: string): Promise<AccessTokenClaims> {
    // The key is chosen from the header inside jsonwebtoken's own decoding, so the token is
    // parsed once; an `alg` other than RS256 or a missing `kid` never reaches a key.
    let keyFailure: unknown;
    const keyFor: jwt.GetPublicKeyOrSecret = (header, done) => {
      if (header.alg !== 'RS256' || typeof header.kid !== 'string') return done(new Error('unexpected header'));
      this.keys.resolve(header.kid).then(
        (key) => (key ? done(null, key) : done(new Error('unknown kid'))),
        (error: Error) => {
          keyFailure = error; // the key source's own error (an outage), passed on as it is
          done(error);
        },
      );
    };
    const payload = await new Promise<unknown>((resolve, reject) =>
      jwt.verify(
        token,
        keyFor,
        {
          algorithms: ['RS256'],
          issuer: this.expected.issuer,
          audience: this.expected.audience,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
        },
        (error, decoded) => (error ? reject(keyFailure ?? invalidToken()) : resolve(decoded)),
      ),
    );
    const claims = AccessTokenClaims.safeParse(payload);
    if (!claims.success) throw invalidToken();
    if (this.revocations?.isRevoked(claims.data)) throw invalidToken();
    return claims.data;
  }
}
