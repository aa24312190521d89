import { randomUUID } from 'node:crypto';
import type { PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { validationFailed } from '@merchant-platform/common/errors';
import type { Logger } from '@merchant-platform/common/logger';
import type { Accounts } from './accounts.js';
import {
  CHALLENGE_TTL_MS,
  presentPasskeyFactor,
  sha256Hex,
  type PasskeyCredentialRepository,
  type WebAuthnChallengeRepository,
} from './passkeys.js';
import type { FactorView } from './views.js';
import { claimedChallenge, PasskeyRejected, type RejectionReason, type WebAuthnCeremonies } from './passkeys-verification.js';
import type { SecurityEvents } from './security-events.js';

const DEFAULT_NAME = 'Passkey';

const WHY: Record<RejectionReason | 'unknown_challenge' | 'duplicate', string> = {
  unknown_challenge: 'The challenge is unknown, already used, expired or was issued to someone else; ask for new options.',
  challenge: 'The response does not answer the challenge it was given.',
  origin: 'The response comes from an origin this service does not accept.',
  rp_id: 'The passkey was made for another relying party id.',
  user_presence: 'The authenticator did not confirm user presence.',
  user_verification: 'The authenticator did not verify the user (PIN or biometrics are required).',
  signature: 'The attestation does not verify.',
  malformed: 'The registration response is not a valid WebAuthn attestation.',
  duplicate: 'This passkey is already registered.',
};

const refused = (why: keyof typeof WHY) =>
  validationFailed([{ path: 'response', message: WHY[why] }], 'The passkey could not be registered.');

/** Adding a passkey to a signed-in account: options bound to that user, then the attestation. */
export class PasskeyRegistration {
  constructor(
    private readonly accounts: Accounts,
    private readonly credentials: PasskeyCredentialRepository,
    private readonly challenges: WebAuthnChallengeRepository,
    private readonly ceremonies: WebAuthnCeremonies,
    private readonly logger: Logger,
    private readonly events: SecurityEvents,
  ) {}

  async options(userId: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const user = await this.accounts.me(userId);
    const challenge = this.ceremonies.newChallenge();
    const options = await this.ceremonies.creationOptions({
      challenge,
      userId: user.id,
      email: user.email,
      displayName: [user.first_name, user.middle_name, user.last_name].filter(Boolean).join(' '),
      exclude: await this.credentials.listForUser(user.id),
    });
    await this.challenges.deleteExpired(new Date(Date.now() - CHALLENGE_TTL_MS));
    await this.challenges.create({
      id: randomUUID(),
      purpose: 'registration',
      userId: user.id,
      challengeHash: sha256Hex(options.challenge),
      expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS),
    });
    return options;
  }

  async register(userId: string, input: { name?: string | undefined; response: RegistrationResponseJSON }): Promise<FactorView> {
    await this.accounts.me(userId);
    const claimed = claimedChallenge(input.response.response.clientDataJSON);
    if (!claimed) throw refused('malformed');
    // Used up before it is checked: a challenge gets one attempt, so concurrent or repeated tries cannot race.
    const challenge = await this.challenges.consume({ purpose: 'registration', challengeHash: sha256Hex(claimed), userId });
    if (!challenge) throw refused('unknown_challenge');
    let verified;
    try {
      verified = await this.ceremonies.verifyRegistration(input.response, challenge.challengeHash);
    } catch (error) {
      if (!(error instanceof PasskeyRejected)) throw error;
      this.logger.info({ userId, reason: error.reason }, 'passkey registration refused');
      throw refused(error.reason);
    }
    const credential = await this.events.withChange(
      () => this.credentials.create({ userId, ...verified, name: input.name ?? DEFAULT_NAME }),
      (created) => created && { type: 'mfa.enrolled', userId, data: { factor_type: 'passkey' } },
    );
    if (!credential) throw refused('duplicate');
    this.logger.info({ userId, passkeyId: credential.id }, 'passkey registered');
    return presentPasskeyFactor(credential);
  }
}
