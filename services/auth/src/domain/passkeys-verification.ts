import { randomBytes } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type * as SimpleWebAuthn from '@simplewebauthn/server';
import { CHALLENGE_TTL_MS, sha256Hex, type PasskeyCredential } from './passkeys.js';

export interface RelyingParty {
  id: string;
  name: string;
  origins: string[];
}

/** Which check a response failed: safe to log and to name in a 422 (it carries no value from the request). */
export type RejectionReason = 'challenge' | 'origin' | 'rp_id' | 'user_presence' | 'user_verification' | 'signature' | 'malformed';

export class PasskeyRejected extends Error {
  constructor(readonly reason: RejectionReason) {
    super(`passkey response rejected: ${reason}`);
    this.name = 'PasskeyRejected';
  }
}

// The library says why in free text that quotes the challenge and origins; only the kind of failure leaves this file.
const REASONS: [RegExp, RejectionReason][] = [
  [/challenge/i, 'challenge'],
  [/origin/i, 'origin'],
  [/RP ID/i, 'rp_id'],
  [/user verification/i, 'user_verification'],
  [/not present/i, 'user_presence'],
  [/signature/i, 'signature'],
];

const reasonOf = (error: unknown): RejectionReason =>
  REASONS.find(([pattern]) => error instanceof Error && pattern.test(error.message))?.[1] ?? 'malformed';

// The library and its ASN.1 and CBOR dependencies are some 200 modules: loaded at the first
// ceremony, not at every start-up.
let library: Promise<typeof SimpleWebAuthn> | undefined;
const webauthn = () => (library ??= import('@simplewebauthn/server'));

async function verifying<T>(check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    throw new PasskeyRejected(reasonOf(error));
  }
}

/** The challenge a response claims to answer, read from its clientDataJSON; undefined when unreadable. */
export function claimedChallenge(clientDataJSON: string): string | undefined {
  try {
    const clientData: unknown = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8'));
    const challenge = (clientData as { challenge?: unknown } | null)?.challenge;
    return typeof challenge === 'string' && challenge.length > 0 ? challenge : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The WebAuthn ceremonies for one relying party, through @simplewebauthn/server: options out,
 * responses checked against a stored challenge (by its hash), the configured origins and RP id,
 * with user verification required: a passkey is a whole sign-in, so "someone touched the key"
 * is not enough.
 */
export class WebAuthnCeremonies {
  constructor(private readonly rp: RelyingParty) {}

  newChallenge(): Uint8Array<ArrayBuffer> {
    return new Uint8Array(randomBytes(32));
  }

  async creationOptions(input: {
    challenge: Uint8Array<ArrayBuffer>;
    userId: string;
    email: string;
    displayName: string;
    exclude: PasskeyCredential[];
  }): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const { generateRegistrationOptions } = await webauthn();
    return generateRegistrationOptions({
      rpName: this.rp.name,
      rpID: this.rp.id,
      // The user handle a discoverable credential returns at sign-in: our user id, no personal data.
      userID: new TextEncoder().encode(input.userId),
      userName: input.email,
      userDisplayName: input.displayName,
      challenge: input.challenge,
      timeout: CHALLENGE_TTL_MS,
      attestationType: 'none',
      excludeCredentials: input.exclude.map((c) => ({ id: c.credentialId, transports: c.transports })),
      authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
    });
  }

  async requestOptions(input: {
    challenge: Uint8Array<ArrayBuffer>;
    allow: { id: string; transports?: string[] }[];
  }): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const { generateAuthenticationOptions } = await webauthn();
    return generateAuthenticationOptions({
      rpID: this.rp.id,
      challenge: input.challenge,
      timeout: CHALLENGE_TTL_MS,
      userVerification: 'required',
      allowCredentials: input.allow,
    });
  }

  /** Checks an attestation; returns the credential to store. */
  async verifyRegistration(response: RegistrationResponseJSON, challengeHash: string) {
    const { verifyRegistrationResponse } = await webauthn();
    const result = await verifying(() =>
      verifyRegistrationResponse({
        response,
        expectedChallenge: (challenge) => sha256Hex(challenge) === challengeHash,
        expectedOrigin: this.rp.origins,
        expectedRPID: this.rp.id,
        requireUserVerification: true,
      }),
    );
    if (!result.verified) throw new PasskeyRejected('signature');
    const { credential } = result.registrationInfo;
    return {
      credentialId: credential.id,
      publicKey: credential.publicKey,
      signCount: credential.counter,
      transports: credential.transports ?? [],
    };
  }

  /**
   * Checks an assertion made with `credential`; returns the authenticator's new sign counter.
   * The counter is compared by the caller, after the signature holds, so only a genuine
   * assertion can be recorded as a counter regression.
   */
  async verifyAssertion(response: AuthenticationResponseJSON, challengeHash: string, credential: PasskeyCredential): Promise<number> {
    const { verifyAuthenticationResponse } = await webauthn();
    const result = await verifying(() =>
      verifyAuthenticationResponse({
        response,
        expectedChallenge: (challenge) => sha256Hex(challenge) === challengeHash,
        expectedOrigin: this.rp.origins,
        expectedRPID: this.rp.id,
        credential: { id: credential.credentialId, publicKey: credential.publicKey, counter: 0, transports: credential.transports },
        requireUserVerification: true,
      }),
    );
    if (!result.verified) throw new PasskeyRejected('signature');
    return result.authenticationInfo.newCounter;
  }
}

/** A counter that did not move forward (unless the authenticator keeps none: both 0). */
export const counterRegressed = (stored: number, presented: number) => (stored > 0 || presented > 0) && presented <= stored;
