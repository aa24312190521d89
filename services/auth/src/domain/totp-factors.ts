import { randomUUID } from 'node:crypto';
import { conflict, invalidMfaCode, notFound } from '@merchant-platform/common/errors';
import type { Logger } from '@merchant-platform/common/logger';
import type { RecoveryCodes } from './recovery-codes.js';
import { presentTotpFactor, type SecondFactors } from './second-factors.js';
import type { FactorView } from './views.js';
import { matchingStep, newTotpSecret, otpauthUri, type TotpFactor, type TotpFactorRepository } from './totp.js';
import type { TotpSecretBox } from './totp-secret-box.js';
import type { UserRepository } from './user.js';
import type { SecurityEvents } from './security-events.js';

const DEFAULT_NAME = 'Authenticator app';

export interface TotpEnrolment {
  factor_id: string;
  secret: string;
  otpauth_uri: string;
  qr_svg: string;
}

/**
 * Authenticator-app factors: enrolment (a secret shown once, confirmed by a first code) and the
 * code check of a sign-in. Each code is accepted once per factor: its time step must be later
 * than the last accepted one, which the repository settles with a conditional UPDATE.
 */
export class TotpFactors {
  constructor(
    private readonly factors: TotpFactorRepository,
    private readonly box: TotpSecretBox,
    private readonly users: UserRepository,
    private readonly secondFactors: SecondFactors,
    private readonly recoveryCodes: RecoveryCodes,
    private readonly logger: Logger,
    /** The name an authenticator app shows beside the account. */
    private readonly issuer: string,
    private readonly events: SecurityEvents,
  ) {}

  /** Starts an enrolment; a previous unfinished one of the user is dropped. */
  async begin(userId: string, name: string | undefined): Promise<TotpEnrolment> {
    const user = await this.users.findById(userId);
    if (!user) throw notFound('No such user.');
    const secret = newTotpSecret();
    const id = randomUUID();
    await this.factors.deleteUnconfirmed(userId);
    await this.factors.create({ id, userId, name: name ?? DEFAULT_NAME, sealedSecret: this.box.seal(secret, id) });
    const uri = otpauthUri({ issuer: this.issuer, account: user.email, secret });
    this.logger.info({ userId, factorId: id }, 'TOTP enrolment started');
    return {
      factor_id: id,
      secret,
      otpauth_uri: uri,
      qr_svg: await qrSvg(uri),
    };
  }

  /** The first right code confirms the factor; recovery codes come with the user's first factor. */
  async confirm(userId: string, factorId: string, code: string): Promise<{ factor: FactorView; recovery_codes?: string[] }> {
    const factor = await this.factors.find(factorId, userId);
    if (!factor) throw notFound('You have no authenticator-app factor with this id.');
    if (factor.confirmedAt) throw conflict('This factor is already confirmed.');
    const firstFactor = !(await this.secondFactors.hasConfirmed(userId));
    const accepted = await this.events.withChange(
      () => this.accept(factor, code, true),
      (ok) => (ok ? { type: 'mfa.enrolled', userId, data: { factor_type: 'totp' } } : undefined),
    );
    if (!accepted) throw invalidMfaCode();
    this.logger.info({ userId, factorId }, 'TOTP factor confirmed');
    const confirmed = (await this.factors.find(factorId, userId)) ?? factor;
    return { factor: presentTotpFactor(confirmed), ...(firstFactor ? { recovery_codes: await this.recoveryCodes.issue(userId) } : {}) };
  }

  /** True when `code` is right for one of the user's confirmed factors and was not used before. */
  async prove(userId: string, code: string): Promise<boolean> {
    for (const factor of await this.factors.listConfirmed(userId)) {
      if (await this.accept(factor, code, false)) return true;
    }
    return false;
  }

  private async accept(factor: TotpFactor, code: string, confirming: boolean): Promise<boolean> {
    const step = await matchingStep(this.box.open(factor.sealedSecret, factor.id), code);
    return step !== undefined && step > factor.lastStep && (await this.factors.acceptStep(factor.id, step, confirming));
  }
}

/** The QR encoder (and its PNG writer) is needed only at enrolment, so it loads then. */
async function qrSvg(uri: string): Promise<string> {
  const { default: QRCode } = await import('qrcode');
  return QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}
