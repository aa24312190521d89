import { mfaEnrollmentRequired, notFound } from '@merchant-platform/common/errors';
import { signedInWithMultiFactor } from '@merchant-platform/common/tokens/access-token';
import type { Revocations } from './revocations.js';
import type { SecondFactors } from './second-factors.js';
import type { UserRepository } from './user.js';

/** What admins may do about second factors, and what second factor admins themselves need. */
export class AdminMfa {
  constructor(
    private readonly users: UserRepository,
    private readonly secondFactors: SecondFactors,
    private readonly revocations: Revocations,
    /** ADMIN_MFA_REQUIRED. */
    private readonly required: boolean,
  ) {}

  /** With the policy on, an admin route needs a token from a multi-factor (or passkey) sign-in. */
  assertStrongSignIn(amr: string[] | undefined): void {
    if (!this.required || signedInWithMultiFactor(amr)) return;
    throw mfaEnrollmentRequired('Admin routes need a sign-in with a second factor: enrol one, then sign in with it.');
  }

  /** A user who lost every factor: all of them and the recovery codes go, and so do their sessions. */
  async reset(adminId: string, userId: string): Promise<void> {
    if (!(await this.users.findById(userId))) throw notFound('No user has this id.');
    await this.secondFactors.removeAll(userId, adminId);
    await this.revocations.endAllSessions(userId);
  }
}
