import { randomUUID } from 'node:crypto';
import { conflict, emailNotVerified, forbidden, notFound, unavailable } from '@merchant-platform/common/errors';
import type { EventfulChanges } from '@merchant-platform/common/events/eventful-changes';
import { consumeOrThrow, type RateLimiterFactory } from '@merchant-platform/common/rate-limit';
import { hashSecret } from './api-key.js';
import { INVITATION_LIFETIME_MS, invitationStatus, newInvitationToken, type InvitationRepository } from './invitation.js';
import { acceptUrl, type InvitationMailer } from './invitation-mail.js';
import { presentInvitation } from './invitation-presenter.js';
import type { MerchantRepository } from './merchant.js';
import { invitationSubject, memberSubject, merchantEvent } from './merchant-events.js';
import type { MemberPrincipal, Principal } from './principal.js';
import { presentMembership } from './presenters.js';
import { roleManages, type Role } from './roles.js';
import type { InvitationView, MembershipView } from './views.js';

const GONE = 'No pending invitation has this token: it may be wrong, used, expired or revoked.';

/** Who accepts: the claims of their token that matter here. */
export interface Invitee {
  sub: string;
  email: string;
  name: string;
  email_verified: boolean;
}

export interface InvitationSettings {
  /** The console's base URL; the mail links to `<it>/invitations/accept?token=…`. */
  consoleUrl: string;
  /** Counts invitations per merchant, across replicas (the shared rate-limit store). */
  limiter: ReturnType<RateLimiterFactory>;
  /** Absent when no email service is configured: inviting then answers 503 rather than mailing nobody. */
  mailer: InvitationMailer | undefined;
}

/** Invitations: an owner or admin invites an address; whoever proves it, signed in, accepts once. */
export class Invitations {
  constructor(
    private readonly invitations: InvitationRepository,
    private readonly merchants: MerchantRepository,
    private readonly settings: InvitationSettings,
    private readonly events: EventfulChanges,
  ) {}

  async invite(principal: MemberPrincipal, input: { email: string; role: Role }): Promise<InvitationView> {
    // The same table as role changes: an admin brings in developers and viewers, only an owner owners and admins.
    if (!roleManages(principal.role, input.role)) {
      throw forbidden('Only an owner invites owners and admins; an admin invites developers and viewers.');
    }
    const mailer = this.settings.mailer;
    if (!mailer) throw unavailable('Invitations cannot be sent: this service has no email service configured (EMAIL_SERVICE_URL).');
    await consumeOrThrow(this.settings.limiter, principal.merchantId);
    const merchant = await this.merchants.findById(principal.merchantId);
    if (!merchant) throw notFound('No merchant has this id.');
    const now = new Date();
    const token = newInvitationToken();
    const invitation = {
      id: randomUUID(),
      merchant_id: merchant.id,
      email: input.email,
      role: input.role,
      token_hash: hashSecret(token),
      invited_by: principal.userId,
      created_at: now,
      expires_at: new Date(now.getTime() + INVITATION_LIFETIME_MS),
      accepted_at: null,
      revoked_at: null,
    };
    // The address is personal data in the catalogue (erased with its user); the token and its hash never leave this method.
    const outcome = await this.events.withChange(
      () => this.invitations.insertIfFree(invitation, now),
      (result) =>
        result === 'created' &&
        merchantEvent('member.invited', principal, merchant.id, invitationSubject(invitation.id), {
          email: invitation.email,
          role: invitation.role,
        }),
    );
    if (outcome === 'already_member') throw conflict('Someone with this email address is already a member of this merchant.');
    if (outcome === 'already_invited') throw conflict('This email address already has a pending invitation to this merchant.');
    try {
      await mailer.send({
        to: invitation.email,
        template: 'member_invitation',
        data: {
          merchant_name: merchant.business_name,
          role: invitation.role,
          token,
          accept_url: acceptUrl(this.settings.consoleUrl, token),
        },
        idempotencyKey: `invitation:${invitation.id}`,
      });
    } catch {
      // The token exists only in this request: an invitation whose mail never left can never be accepted.
      // Its member.invited stays in the append-only log: the invitation did exist until this moment.
      await this.invitations.discard(invitation.id);
      throw unavailable('The invitation e-mail could not be handed to the email service; try again shortly.');
    }
    return presentInvitation(invitation, now);
  }

  async list(principal: Principal): Promise<InvitationView[]> {
    const now = new Date();
    return (await this.invitations.listForMerchant(principal.merchantId)).map((i) => presentInvitation(i, now));
  }

  async revoke(principal: Principal, invitationId: string): Promise<void> {
    if (!(await this.invitations.revoke(principal.merchantId, invitationId, new Date()))) {
      throw notFound('This merchant has no invitation with this id.');
    }
  }

  /** Unknown, used, expired and revoked tokens all answer the same 404, so a token reveals nothing. */
  async accept(invitee: Invitee, token: string): Promise<MembershipView> {
    const now = new Date();
    const invitation = await this.invitations.findByTokenHash(hashSecret(token));
    if (!invitation || invitationStatus(invitation, now) !== 'pending') throw notFound(GONE);
    if (!invitee.email_verified) throw emailNotVerified('Verify your email address first, then accept the invitation.');
    if (invitee.email.toLowerCase() !== invitation.email) throw forbidden('This invitation is for another email address.');
    const membership = {
      merchant_id: invitation.merchant_id,
      user_id: invitee.sub,
      email: invitee.email,
      name: invitee.name,
      role: invitation.role,
      joined_at: now,
    };
    const joined = merchantEvent('member.joined', { userId: invitee.sub }, invitation.merchant_id, memberSubject(invitee.sub), {
      user_id: invitee.sub,
      role: invitation.role,
    });
    const outcome = await this.invitations.accept(invitation, membership, now, () => this.events.record(joined));
    if (outcome === 'gone') throw notFound(GONE);
    if (outcome === 'already_member') throw conflict('You are already a member of this merchant.');
    return presentMembership(membership);
  }
}
