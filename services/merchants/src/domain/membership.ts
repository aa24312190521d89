import type { Role } from './roles.js';

/** A user's place in a merchant's team. email and name are null for v1 owners until their next request. */
export interface Membership {
  merchant_id: string;
  user_id: string;
  email: string | null;
  name: string | null;
  role: Role;
  joined_at: Date;
}

/** What a member's contact looks like in their token, copied onto the membership. */
export interface MemberContact {
  email: string;
  name: string;
}

/** A change decided while the merchant's memberships are locked (see `MembershipRepository.changeLocked`). */
export type MembershipChange = { kind: 'set_role'; userId: string; role: Role } | { kind: 'remove'; userId: string };

export interface MembershipRepository {
  /** The caller's membership and the merchant's require_mfa setting in one read; undefined for non-members. */
  findAccess(merchantId: string, userId: string): Promise<{ membership: Membership; requireMfa: boolean } | undefined>;
  listForMerchant(merchantId: string): Promise<Membership[]>;
  /** The user's memberships, oldest first. */
  listForUser(userId: string): Promise<Membership[]>;
  /** Fills a membership's email and name where they are missing or out of date. */
  refreshContact(merchantId: string, userId: string, contact: MemberContact): Promise<void>;
  /**
   * Locks every membership of the merchant (one transaction, IMMEDIATE on SQLite, row locks on
   * MySQL), lets `decide` read them (without members whose account deletion is admitted: they
   * are on the way out) and throw or name one change, applies it, and returns the
   * changed membership (undefined after a removal). Concurrent calls for one merchant queue here,
   * so rules that count members (the last owner) hold.
   */
  changeLocked(merchantId: string, decide: (members: Membership[]) => MembershipChange): Promise<Membership | undefined>;
  updateContactForUser(userId: string, contact: Partial<MemberContact>): Promise<void>;
  /** Every membership of a deleted user (a stand-in erasure until domain/user-erasure.ts is wired). */
  removeAllForUser(userId: string): Promise<void>;
  setRequireMfa(merchantId: string, requireMfa: boolean): Promise<void>;
}
