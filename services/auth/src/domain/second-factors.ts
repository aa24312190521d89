import { conflict, notFound } from '@merchant-platform/common/errors';
import { presentPasskeyFactor, type PasskeyCredentialRepository } from './passkeys.js';
import type { RecoveryCodes } from './recovery-codes.js';
import type { TotpFactor, TotpFactorRepository } from './totp.js';
import type { FactorView } from './views.js';
import type { SecurityEvents } from './security-events.js';

export function presentTotpFactor(factor: TotpFactor): FactorView {
  return {
    id: factor.id,
    type: 'totp',
    name: factor.name,
    created_at: factor.createdAt.toISOString(),
    last_used_at: factor.lastUsedAt?.toISOString() ?? null,
  };
}

/**
 * A user's second factors taken together: confirmed TOTP factors and passkeys, and the recovery
 * codes that stand in for them. Sign-in asks `hasConfirmed` to decide whether a second step is due.
 */
export class SecondFactors {
  constructor(
    private readonly totp: TotpFactorRepository,
    private readonly passkeys: PasskeyCredentialRepository,
    private readonly recoveryCodes: RecoveryCodes,
    private readonly events: SecurityEvents,
  ) {}

  async hasConfirmed(userId: string): Promise<boolean> {
    return (await this.list(userId)).length > 0;
  }

  /** Oldest first; unconfirmed TOTP enrolments are not factors yet. */
  async list(userId: string): Promise<FactorView[]> {
    const [totp, passkeys] = await Promise.all([this.totp.listConfirmed(userId), this.passkeys.listForUser(userId)]);
    return [...totp.map(presentTotpFactor), ...passkeys.map(presentPasskeyFactor)].sort((a, b) => a.created_at.localeCompare(b.created_at));
  }

  /** 404 for an id that is not one of this user's factors (another user's included). */
  async remove(userId: string, factorId: string): Promise<void> {
    const removed = await this.events.withChange(
      async () =>
        (await this.totp.delete(factorId, userId)) ? 'totp' : (await this.passkeys.delete(factorId, userId)) ? 'passkey' : undefined,
      (factorType) => factorType && { type: 'mfa.removed', userId, data: { factor_type: factorType } },
    );
    if (!removed) throw notFound('You have no factor with this id.');
  }

  /** Every factor and recovery code of the user (an admin's reset; `actorId` is the admin). */
  async removeAll(userId: string, actorId: string | null): Promise<void> {
    await this.events.withChange(
      async () => {
        await this.totp.deleteAllForUser(userId);
        await this.passkeys.deleteAllForUser(userId);
        await this.recoveryCodes.removeAll(userId);
      },
      () => ({ type: 'mfa.removed', userId, actorId, data: { factor_type: null } }),
    );
  }

  /** A new set of recovery codes; they only make sense beside a factor. */
  async renewRecoveryCodes(userId: string): Promise<string[]> {
    if (!(await this.hasConfirmed(userId))) throw conflict('Recovery codes need a second factor; add one first.');
    return this.recoveryCodes.issue(userId);
  }
}
