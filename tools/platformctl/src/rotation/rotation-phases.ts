import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';

/** The generated Secret's keys a rotation reads and writes (the chart's secret.yaml keeps them across upgrades). */
export const SECRET_KEYS = {
  signing: 'jwt-private-key.pem',
  nextPrivate: 'jwt-next-private-key.pem',
  nextPublic: 'jwt-next-public-key.pem',
  retired: 'jwt-retired-public-keys.pem',
} as const;

/** Where the Secret remembers which phase ran last, and when: the CLI itself keeps no state. */
export const PHASE_ANNOTATION = 'merchant-platform.io/signing-key-rotation';
export const PHASE_AT_ANNOTATION = 'merchant-platform.io/signing-key-rotation-at';

export interface SecretKeys {
  data: Record<string, string>;
  annotations: Record<string, string>;
}

export interface RotationWaits {
  /** How long a verifier may keep serving the JWKS it fetched before phase 1. */
  jwksCacheSeconds: number;
  /** How long a token signed by the old key stays valid after phase 2. */
  accessTokenTtlSeconds: number;
}

/** One phase: the Secret's data keys to set (base64) or delete (null), and its annotations. */
export interface RotationPhase {
  phase: 1 | 2 | 3;
  summary: string;
  data: Record<string, string | null>;
  annotations: Record<string, string | null>;
}

/** The clock leeway verifiers allow past a token's `exp` (docs/api.md): phase 3 waits it out too. */
const CLOCK_LEEWAY_SECONDS = 30;

export type RotationDecision = { ready: true; step: RotationPhase } | { ready: false; waitUntil: Date; reason: string };

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const text = (base64: string | undefined) => (base64 ? Buffer.from(base64, 'base64').toString('utf8') : '');

/** A new signing key pair, RSA 4096 as the chart generates. */
export function generateSigningKey(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 4096 });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/**
 * Which phase comes next, from the Secret alone:
 * 1. no rotation under way: a new key is published as *next* while the current one signs;
 * 2. `next-published` for at least the JWKS cache time: the next key signs, the old one stays
 *    published (retired), so every verifier already knows the new key when tokens carry it;
 * 3. `signing-rotated` for at least the access-token lifetime (and the clock leeway): every token of the old key has
 *    expired, so it is retired from the JWKS.
 */
export function decideNextPhase(
  secret: SecretKeys,
  now: Date,
  waits: RotationWaits,
  newKey: () => { privatePem: string; publicPem: string },
): RotationDecision {
  const phase = secret.annotations[PHASE_ANNOTATION];
  const since = new Date(secret.annotations[PHASE_AT_ANNOTATION] ?? 0);
  const waitFor = (seconds: number, reason: string): RotationDecision | undefined => {
    const until = new Date(since.getTime() + seconds * 1000);
    return until > now ? { ready: false, waitUntil: until, reason } : undefined;
  };
  const at = now.toISOString();
  if (phase === 'next-published') {
    const wait = waitFor(waits.jwksCacheSeconds, 'every verifier must have fetched the JWKS with the next key (the JWKS cache time)');
    if (wait) return wait;
    const oldPublic = createPublicKey(createPrivateKey(text(secret.data[SECRET_KEYS.signing])))
      .export({ type: 'spki', format: 'pem' })
      .toString();
    return {
      ready: true,
      step: {
        phase: 2,
        summary: 'the next key now signs; the old key stays published (retired) until its tokens expire',
        data: {
          [SECRET_KEYS.signing]: secret.data[SECRET_KEYS.nextPrivate]!,
          [SECRET_KEYS.retired]: b64(oldPublic),
          [SECRET_KEYS.nextPrivate]: null,
          [SECRET_KEYS.nextPublic]: null,
        },
        annotations: { [PHASE_ANNOTATION]: 'signing-rotated', [PHASE_AT_ANNOTATION]: at },
      },
    };
  }
  if (phase === 'signing-rotated') {
    const wait = waitFor(
      waits.accessTokenTtlSeconds + CLOCK_LEEWAY_SECONDS,
      'every access token signed by the old key must have expired (the access-token lifetime)',
    );
    if (wait) return wait;
    return {
      ready: true,
      step: {
        phase: 3,
        summary: 'the old key is retired from the JWKS; the rotation is complete',
        data: { [SECRET_KEYS.retired]: null },
        annotations: { [PHASE_ANNOTATION]: null, [PHASE_AT_ANNOTATION]: null },
      },
    };
  }
  const next = newKey();
  return {
    ready: true,
    step: {
      phase: 1,
      summary: 'a new key is published in the JWKS as next; the current key keeps signing',
      data: { [SECRET_KEYS.nextPrivate]: b64(next.privatePem), [SECRET_KEYS.nextPublic]: b64(next.publicPem) },
      annotations: { [PHASE_ANNOTATION]: 'next-published', [PHASE_AT_ANNOTATION]: at },
    },
  };
}

/** `current` after a phase's changes, as a merge patch applies them: null deletes, a string sets. */
export function withChanges(current: Record<string, string>, changes: Record<string, string | null>): Record<string, string> {
  const result = { ...current };
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete result[key];
    else result[key] = value;
  }
  return result;
}
