import { unavailable } from '@merchant-platform/common/errors';

/** Merchants' part of a person's export: their memberships and the full profiles of those merchants. */
export interface MerchantsPart {
  memberships: Record<string, unknown>[];
  merchants: Record<string, unknown>[];
}

/** Email's part: what was sent to their address (template, status, times), never a code. */
export interface EmailPart {
  emails: Record<string, unknown>[];
}

/**
 * The other services, as auth needs them for a person's data rights: over their internal routes
 * (data/http-user-data-peers.ts) or, in all-in-one mode, their use-cases in-process. Either way a
 * refusal arrives as the contract's AppError (409 `sole_owner`), a failure as 503.
 */
export interface UserDataPeers {
  merchantsDataOf(userId: string): Promise<MerchantsPart>;
  emailsTo(address: string): Promise<EmailPart>;
  /** Merchants admits the deletion (the user stops counting as an owner), or refuses with 409 `sole_owner`. */
  admitDeparture(userId: string): Promise<void>;
  /** Takes back an admitted deletion auth could not complete. */
  withdrawDeparture(userId: string): Promise<void>;
}

/**
 * Without the other services' addresses (a standalone auth outside production) nothing can be
 * gathered or checked, so export and deletion answer 503 rather than a partial answer.
 */
export class UnreachableUserDataPeers implements UserDataPeers {
  private fail(): never {
    throw unavailable('The other services are not configured (MERCHANTS_SERVICE_URL, EMAIL_SERVICE_URL).');
  }
  merchantsDataOf = async (): Promise<MerchantsPart> => this.fail();
  emailsTo = async (): Promise<EmailPart> => this.fail();
  admitDeparture = async (): Promise<void> => this.fail();
  withdrawDeparture = async (): Promise<void> => this.fail();
}
