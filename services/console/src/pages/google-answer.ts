import { z } from 'zod';
import type { MfaChallenge } from '../api-client/api-error.js';
import type { TokenPair } from '../http/token-refresher.js';

/** What auth's Google callback put in the completion page's fragment: a token pair, a second-factor challenge, or a refusal. */
export type GoogleAnswer = { pair: TokenPair } | { mfa: MfaChallenge } | { refused: string };

const seconds = z
  .string()
  .regex(/^\d{1,7}$/)
  .transform(Number);

const PairFragment = z.object({
  access_token: z.string().min(1).max(8192),
  refresh_token: z.string().min(1).max(512),
  token_type: z.literal('bearer'),
  expires_in: seconds,
});

const Factors = z
  .array(z.object({ id: z.string().min(1).max(64), type: z.enum(['totp', 'passkey']) }).strict())
  .min(1)
  .max(50);

/** Auth's refusal: only its code is used (the console words it), so a crafted fragment cannot put text on the page. */
const RefusalFragment = z.object({ error: z.string().regex(/^[a-z_]{1,64}$/) });

const ChallengeFragment = z.object({
  error: z.literal('mfa_required'),
  mfa_token: z.string().min(1).max(256),
  mfa_factors: z.string().max(8192),
  mfa_expires_in: seconds,
});

/**
 * Reads the fragment the completion page posted; undefined when it is not one of the two shapes
 * auth sends (a garbled or hand-made fragment). The tokens themselves are checked by the API.
 */
export function googleAnswerFrom(fragment: unknown): GoogleAnswer | undefined {
  if (typeof fragment !== 'string' || fragment.length > 16_384) return undefined;
  const fields = Object.fromEntries(new URLSearchParams(fragment.replace(/^#/, '')));
  const pair = PairFragment.safeParse(fields);
  if (pair.success) {
    const { access_token, refresh_token, expires_in } = pair.data;
    return { pair: { access_token, refresh_token, expires_in } };
  }
  const challenge = ChallengeFragment.safeParse(fields);
  if (!challenge.success) {
    const refusal = RefusalFragment.safeParse(fields);
    return refusal.success && refusal.data.error !== 'mfa_required' ? { refused: refusal.data.error } : undefined;
  }
  const factors = Factors.safeParse(parseJson(challenge.data.mfa_factors));
  if (!factors.success) return undefined;
  return { mfa: { mfa_token: challenge.data.mfa_token, factors: factors.data, expires_in: challenge.data.mfa_expires_in } };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
