import type { MembershipRepository } from './membership.js';
import type { MerchantRepository } from './merchant.js';
import { presentMembership, presentMerchant } from './presenters.js';
import type { MembershipView, MerchantView } from './views.js';

export interface UserMerchantsExport {
  memberships: MembershipView[];
  merchants: MerchantView[];
}

/** Merchants' part of a user's data export: their memberships and the profiles of those merchants. */
export class UserDataExport {
  constructor(
    private readonly memberships: MembershipRepository,
    private readonly merchants: MerchantRepository,
  ) {}

  async export(userId: string): Promise<UserMerchantsExport> {
    const memberships = await this.memberships.listForUser(userId);
    const merchants = await this.merchants.findByIds(memberships.map((m) => m.merchant_id));
    return {
      memberships: memberships.map(presentMembership),
      merchants: merchants.sort((a, b) => a.created_at.getTime() - b.created_at.getTime()).map(presentMerchant),
    };
  }
}
