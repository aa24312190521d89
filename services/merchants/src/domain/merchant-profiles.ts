import { emailNotVerified, notFound } from '@merchant-platform/common/errors';
import type { AccessTokenClaims } from '@merchant-platform/common/tokens/access-token';
import { toPage, type Page, type PageQuery } from '@merchant-platform/common/pagination';
import type { EventfulChanges } from '@merchant-platform/common/events/eventful-changes';
import type { MerchantProfileInput, MerchantRepository } from './merchant.js';
import { merchantEvent, merchantSubject, replaceProfile } from './merchant-events.js';
import { presentMerchant, presentPublicMerchant, presentTokenUser } from './presenters.js';
import type { MerchantView, PublicMerchantView, TokenUserView } from './views.js';

/** The merchants use-cases. Knows nothing of HTTP; the routes translate. */
export class MerchantProfiles {
  constructor(
    private readonly merchants: MerchantRepository,
    private readonly events: EventfulChanges,
  ) {}

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
    const by = { userId: caller.sub };
    const update = () =>
      replaceProfile(
        this.events,
        by,
        profile,
        () => this.merchants.findByUserId(caller.sub),
        () => this.merchants.updateForUser(caller.sub, profile),
      );
    const updated = await update();
    if (updated) return { merchant: presentMerchant(updated), created: false };
    const inserted = await this.events.withChange(
      () => this.merchants.insert({ userId: caller.sub, email: caller.email, name: caller.name }, profile),
      (merchant) =>
        merchant && merchantEvent('merchant.created', by, merchant.id, merchantSubject(merchant.id), { name: merchant.business_name }),
    );
    if (inserted) return { merchant: presentMerchant(inserted), created: true };
    const raced = await update();
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
