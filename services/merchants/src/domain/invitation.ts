import { randomBytes } from 'node:crypto';
import type { Membership } from './membership.js';
import type { Role } from './roles.js';

/** How long an invitation's token works (the contract's 7 days). */
export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/** An invitation as stored: the token never is, only its SHA-256 (hashed as API-key secrets are). */
export interface Invitation {
  id: string;
  merchant_id: string;
  /** Lower-cased, as the email field of every request is. */
  email: string;
  role: Role;
  token_hash: string;
  /** The member who invited; kept for the record, never shown or mailed. */
  invited_by: string;
  created_at: Date;
  expires_at: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
}

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

/** Read from the timestamps at `now`: an invitation expires without anyone writing to it. */
export function invitationStatus(invitation: Invitation, now: Date): InvitationStatus {
  if (invitation.accepted_at) return 'accepted';
  if (invitation.revoked_at) return 'revoked';
  return invitation.expires_at > now ? 'pending' : 'expired';
}

/** `mpi_` + 256 random bits in base64url: nothing to guess, and a shape a secret scanner can spot. */
export const newInvitationToken = (): string => `mpi_${randomBytes(32).toString('base64url')}`;

export type InviteOutcome = 'created' | 'already_member' | 'already_invited';
export type AcceptOutcome = 'accepted' | 'gone' | 'already_member';

export interface InvitationRepository {
  /**
   * Inserts the invitation unless, at `now`, someone with its email is a member of the merchant
   * or holds a pending invitation to it. Checked and written while the merchant's row is locked,
   * so of two concurrent invitations of one address exactly one is created. Joins the running
   * unit of work, so the event announcing the invitation commits with it.
   */
  insertIfFree(invitation: Invitation, now: Date): Promise<InviteOutcome>;
  /** Takes back an invitation whose mail could not be handed over (no one holds its token). */
  discard(id: string): Promise<void>;
  listForMerchant(merchantId: string): Promise<Invitation[]>;
  findByTokenHash(tokenHash: string): Promise<Invitation | undefined>;
  /** Sets `revoked_at` unless it was accepted or revoked before; false when the merchant has no such invitation. */
  revoke(merchantId: string, id: string, now: Date): Promise<boolean>;
  /**
   * In one transaction: marks the invitation accepted only where it is still pending at `now`
   * (one conditional UPDATE, so of concurrent accepts exactly one matches), then adds the
   * membership, then runs `alongside` (recording the event) in the same transaction. `gone` when
   * it was no longer pending; `already_member` (nothing changed, `alongside` not run or rolled
   * back) when the user already belongs to the merchant.
   */
  accept(invitation: Invitation, membership: Membership, now: Date, alongside: () => Promise<void>): Promise<AcceptOutcome>;
}
