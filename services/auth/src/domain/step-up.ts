import { stepUpRequired } from '@merchant-platform/common/errors';
import { signedInWithin, signedInWithMultiFactor } from '@merchant-platform/common/tokens/access-token';
import type { SecondFactors } from './second-factors.js';

/** The access-token claims the rule reads. */
export interface StepUpClaims {
  sub: string;
  amr?: string[] | undefined;
  auth_time?: number | undefined;
}

/**
 * Routes the contract marks *recent*: the person proved who they are at most `maxAgeSeconds` ago
 * and, if they have a confirmed second factor, with it. A v1 token (no `auth_time`) is never recent.
 */
export class StepUp {
  constructor(
    private readonly factors: SecondFactors,
    private readonly maxAgeSeconds: number,
  ) {}

  async assertRecent(claims: StepUpClaims): Promise<void> {
    if (!signedInWithin(claims.auth_time, this.maxAgeSeconds)) throw stepUpRequired();
    if (!signedInWithMultiFactor(claims.amr) && (await this.factors.hasConfirmed(claims.sub))) throw stepUpRequired();
  }
}
