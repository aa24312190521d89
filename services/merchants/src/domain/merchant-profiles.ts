import { emailNotVerified, notFound } from '@merchant-platform/common/errors';
import type { AccessTokenClaims } from '@merchant-platform/common/tokens/access-token';
import { toPage, type Page, type PageQuery } from '@merchant-platform/common/pagination';
import type { MerchantProfileInput, MerchantRepository } from './merchant.js';
import { presentMerchant, presentPublicMerchant, presentTokenUser } from './presenters.js';
import type { MerchantView, PublicMerchantView, TokenUserView } from './views.js';

/** The merchants use-cases. Knows nothing of HTTP; the routes translate. */
export class MerchantProfiles {
  constructor(private readonly merchants: MerchantRepository) {}

  async getOwn(userId: string): Promise<MerchantView> {
    const merchant = await this.merchants.findByUserId(userId);
    if (!merchant) throw notFound('You have no merchant profile yet.');
    return presentMerchant(merchant);
  }

  /**
   * Creates or replaces the caller's profile. Idempotent and race-safe: concurrent calls for
   * one user converge on one row (the unique index decides who inserts; the rest update).
   */
  async saveOwn(caller: AccessTokenClaims, profile: MerchantProfileInput): Promise<{ merchant: MerchantView; created: boolean }> {
    if (!caller.email_verified) {
      throw emailNotVerified('Verify your email address before creating a merchant profile.');
    }
    const updated = await this.merchants.updateForUser(caller.sub, profile);
    if (updated) return { merchant: presentMerchant(updated), created: false };
    const inserted = await this.merchants.insert({ userId: caller.sub, email: caller.email, name: caller.name }, profile);
    if (inserted) return { merchant: presentMerchant(inserted), created: true };
    const raced = await this.merchants.updateForUser(caller.sub, profile);
    if (!raced) throw new Error('merchant profile vanished during upsert');
    return { merchant: presentMerchant(raced), created: false };
  }

  async getPublic(id: string): Promise<PublicMerchantView> {
    const merchant = await this.merchants.findById(id);
    if (!merchant) throw notFound('No merchant has this id.');
    return presentPublicMerchant(merchant);
  }

  async list(query: PageQuery): Promise<Page<MerchantView>> {
    const rows = await this.merchants.listPage(query.limit + 1, query.cursor);
    return toPage(rows, query.limit, presentMerchant, (m) => ({ createdAt: m.created_at, id: m.id }));
  }

  /** `/users/me`: the token's claims plus at most one indexed query (the caller's profile). */
  async whoAmI(caller: AccessTokenClaims): Promise<{ user: TokenUserView; merchant: MerchantView | null }> {
    const merchant = await this.merchants.findByUserId(caller.sub);
    return { user: presentTokenUser(caller), merchant: merchant ? presentMerchant(merchant) : null };
  }
}
