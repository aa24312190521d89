import { forbidden, insufficientScope, mfaEnrollmentRequired, notFound, stepUpRequired } from '@merchant-platform/common/errors';
import { consumeOrThrow, type RateLimiterFactory } from '@merchant-platform/common/rate-limit';
import { signedInWithin, signedInWithMultiFactor, type AccessTokenClaims } from '@merchant-platform/common/tokens/access-token';
import type { ApiKeys } from './api-keys.js';
import type { MembershipRepository } from './membership.js';
import { principalAllows, type Principal } from './principal.js';
import type { Action } from './roles.js';

const NOT_FOUND_MESSAGE = 'No merchant has this id, or you are not one of its members.';
const ENROL_MESSAGE =
  'This merchant requires a second factor: enrol one (POST /auth/mfa/totp, or register a passkey), then sign in with it.';

/**
 * Turns a caller's token into a principal on one merchant, in this order: not a member → 404
 * (a non-member learns nothing), the merchant's require_mfa unmet → 403
 * `mfa_enrollment_required`, the role lacks the action → 403 `forbidden`. An API key instead:
 * wrong, revoked or expired → 401 `invalid_token`, over its rate → 429, another merchant's
 * → 404, the scope missing → 403 `insufficient_scope` (require_mfa is for members only).
 */
export class MerchantAccess {
  constructor(
    private readonly memberships: MembershipRepository,
    private readonly stepUpMaxAgeSeconds: number,
    private readonly keys: ApiKeys,
    private readonly keyLimiter: ReturnType<RateLimiterFactory>,
  ) {}

  async resolveKey(merchantId: string, secret: string, action: Action): Promise<Principal> {
    const key = await this.keys.authenticate(secret);
    await consumeOrThrow(this.keyLimiter, key.id);
    if (key.merchant_id !== merchantId) throw notFound(NOT_FOUND_MESSAGE);
    const principal: Principal = { kind: 'api_key', merchantId, keyId: key.id, scopes: key.scopes };
    if (!principalAllows(principal, action)) throw insufficientScope(`This needs an API key with the ${action} scope.`);
    await this.keys.noteUse(key);
    return principal;
  }

  async resolve(merchantId: string, claims: AccessTokenClaims, action: Action): Promise<Principal> {
    const access = await this.memberships.findAccess(merchantId, claims.sub);
    if (!access) throw notFound(NOT_FOUND_MESSAGE);
    if (access.requireMfa && !signedInWithMultiFactor(claims.amr)) throw mfaEnrollmentRequired(ENROL_MESSAGE);
    const { membership } = access;
    // v1 owners have no email or name until now. Later changes arrive as auth's events (user-events.ts):
    // a token minted before the change must not write the old values back.
    if (membership.email === null || membership.name === null) {
      await this.memberships.refreshContact(merchantId, claims.sub, { email: claims.email, name: claims.name });
    }
    const principal: Principal = { kind: 'member', merchantId, userId: claims.sub, role: membership.role };
    if (!principalAllows(principal, action)) throw forbidden(`Your role (${membership.role}) does not allow this.`);
    return principal;
  }

  /**
   * Routes the contract marks *recent*, read the way merchants can: the token's `auth_time` is at
   * most STEP_UP_MAX_AGE_SECONDS old. Auth's own rule also wants the second factor when the user
   * has one; merchants cannot see factors, but a fresh sign-in of such a user carries `mfa` or
   * `hwk` anyway (auth never completes one without it), so the age is the check that remains.
   * A v1 token (no `auth_time`) is never recent.
   */
  assertRecent(claims: AccessTokenClaims): void {
    if (!signedInWithin(claims.auth_time, this.stepUpMaxAgeSeconds)) throw stepUpRequired();
  }
}
