import { AppError } from '@merchant-platform/common/errors';
import type { Membership } from './membership.js';
import type { MerchantRepository } from './merchant.js';

/** What erasing a user removed: their memberships, and the merchants they were the only member of. */
export interface ErasureResult {
  removedMemberships: number;
  deletedMerchantIds: string[];
}

export interface UserDepartureRepository {
  /**
   * Locks the memberships of every merchant the user belongs to (merchant id order, so
   * concurrent departures queue instead of deadlocking), hands `decide` each of those teams
   * without the members already departing, and records the user's departure unless `decide`
   * throws. Recording it again is harmless.
   */
  departLocked(userId: string, decide: (teams: Membership[][]) => void): Promise<void>;
  /** Forgets a departure that was not followed by the deletion (auth could not finish). */
  cancel(userId: string): Promise<void>;
  /**
   * Under the same locks: removes the user's memberships and departure, and deletes each
   * merchant left without members, its API keys with it. Erasing an erased user changes nothing.
   */
  erase(userId: string): Promise<ErasureResult>;
}

/** The merchants where the user is the only owner while other people are members. */
export function teamsOnlyTheUserOwns(userId: string, teams: Membership[][]): string[] {
  return teams
    .filter((members) => {
      const owners = members.filter((m) => m.role === 'owner');
      return owners.length === 1 && owners[0]!.user_id === userId && members.length > 1;
    })
    .map((members) => members[0]!.merchant_id);
}

/**
 * Account deletion as merchants sees it: admitted unless the user is the last owner of a team
 * that outlives them (409 `sole_owner`, naming those merchants), then erased.
 */
export class UserDepartures {
  constructor(
    private readonly departures: UserDepartureRepository,
    private readonly merchants: MerchantRepository,
  ) {}

  async admit(userId: string): Promise<void> {
    let blocked: string[] = [];
    try {
      await this.departures.departLocked(userId, (teams) => {
        blocked = teamsOnlyTheUserOwns(userId, teams);
        if (blocked.length > 0) throw new SoleOwnerOf(blocked);
      });
    } catch (error) {
      if (!(error instanceof SoleOwnerOf)) throw error;
      throw await this.soleOwnerError(blocked);
    }
  }

  cancel(userId: string): Promise<void> {
    return this.departures.cancel(userId);
  }

  private async soleOwnerError(merchantIds: string[]): Promise<AppError> {
    const names = new Map((await this.merchants.findByIds(merchantIds)).map((m) => [m.id, m.business_name]));
    return new AppError(409, 'sole_owner', 'You are the last owner of a merchant that has other members: make someone else owner first.', {
      details: merchantIds.map((id) => ({ path: `merchants.${id}`, message: `You are the last owner of ${names.get(id) ?? id}.` })),
    });
  }
}

/** Leaves the locked transaction without recording anything; turned into the 409 outside it. */
class SoleOwnerOf extends Error {
  constructor(readonly merchantIds: string[]) {
    super('sole owner');
  }
}
