import { AppError } from '@merchant-platform/common/errors';

/** A sign-in whose first factor (password or Google) was right and whose second is awaited. */
export interface MfaChallenge {
  id: string;
  userId: string;
  authMethod: 'password' | 'google';
  /** The WebAuthn challenge last issued for this sign-in (`/auth/passkeys/authentication/options` with `mfa_token`). */
  passkeyChallengeId: string | null;
}

export interface MfaChallengeRepository {
  create(challenge: MfaChallenge & { tokenHash: string; expiresAt: Date }): Promise<void>;
  /** The challenge with this token hash if it is unused, unexpired and has tries left. */
  findLive(tokenHash: string, maxAttempts: number): Promise<MfaChallenge | undefined>;
  /**
   * Counts one try, only while the challenge is live and has fewer than `maxAttempts`: one
   * conditional UPDATE, so however many tries arrive at once, at most `maxAttempts` get true.
   */
  spendAttempt(id: string, maxAttempts: number): Promise<boolean>;
  /** Marks the challenge used; false when another request completed it first. */
  complete(id: string): Promise<boolean>;
  /** Binds a WebAuthn challenge to a live challenge; false when it is no longer live. */
  attachPasskeyChallenge(id: string, passkeyChallengeId: string): Promise<boolean>;
  deleteExpired(before: Date): Promise<void>;
}

/** The contract's numbers: 5 minutes, 5 tries. */
export const MFA_CHALLENGE_TTL_SECONDS = 300;
export const MAX_MFA_ATTEMPTS = 5;

/** The `mfa` member of a 401 `mfa_required`. */
export interface MfaChallengeView {
  mfa_token: string;
  factors: { id: string; type: 'totp' | 'passkey' }[];
  expires_in: number;
}

/** 401 `mfa_required`: the one error body with a member beyond code, message and details. */
export class MfaRequired extends AppError {
  constructor(readonly mfa: MfaChallengeView) {
    super(401, 'mfa_required', 'A second factor is required: send a code or a passkey response with this mfa_token to /auth/mfa/verify.');
  }

  override toBody() {
    const { error } = super.toBody();
    return { error: { ...error, mfa: this.mfa } };
  }
}
