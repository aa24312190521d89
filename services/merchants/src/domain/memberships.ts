import { forbidden, notFound, soleOwner } from '@merchant-platform/common/errors';
import type { EventfulChanges } from '@merchant-platform/common/events/eventful-changes';
import type { Membership, MembershipRepository } from './membership.js';
import type { MerchantProfileInput, MerchantRepository } from './merchant.js';
import { memberSubject, merchantEvent, merchantSubject, replaceProfile } from './merchant-events.js';
import type { MemberPrincipal, Principal } from './principal.js';
import { presentMembership, presentMerchant } from './presenters.js';
import { roleManages, type Role } from './roles.js';
import type { MembershipView, MerchantView } from './views.js';

/** The team use-cases: a merchant's profile, members and settings, as seen by a principal. */
export class Teams {
  constructor(
    private readonly merchants: MerchantRepository,
    private readonly memberships: MembershipRepository,
    private readonly events: EventfulChanges,
  ) {}

  async mine(userId: string): Promise<{ items: { merchant: MerchantView; role: Role }[] }> {
    const memberships = await this.memberships.listForUser(userId);
    const merchants = new Map((await this.merchants.findByIds(memberships.map((m) => m.merchant_id))).map((m) => [m.id, m]));
    return {
      items: memberships.flatMap((m) => {
        const merchant = merchants.get(m.merchant_id);
        return merchant ? [{ merchant: presentMerchant(merchant), role: m.role }] : [];
      }),
    };
  }

  async profile(principal: Principal): Promise<MerchantView> {
    const merchant = await this.merchants.findById(principal.merchantId);
    if (!merchant) throw notFound('No merchant has this id.');
    return presentMerchant(merchant);
  }

  async updateProfile(principal: Principal, profile: MerchantProfileInput): Promise<MerchantView> {
    const merchant = await replaceProfile(
      this.events,
      principal,
      profile,
      () => this.merchants.findById(principal.merchantId),
      () => this.merchants.updateById(principal.merchantId, profile),
    );
    if (!merchant) throw notFound('No merchant has this id.');
    return presentMerchant(merchant);
  }

  async members(principal: Principal): Promise<MembershipView[]> {
    return (await this.memberships.listForMerchant(principal.merchantId)).map(presentMembership);
  }

  /** The actor's role is read again under the lock: a concurrent demotion of the actor wins. */
  async changeRole(principal: MemberPrincipal, userId: string, role: Role): Promise<MembershipView> {
    let from: Role | undefined;
    const change = () =>
      this.memberships.changeLocked(principal.merchantId, (members) => {
        const { actor, target } = actorAndTarget(members, principal, userId);
        from = target.role;
        if (!roleManages(actor.role, target.role) || !roleManages(actor.role, role)) {
          throw forbidden('Only an owner changes owners and admins; an admin changes developers and viewers.');
        }
        if (target.role === 'owner' && role !== 'owner') assertAnotherOwner(members);
        return { kind: 'set_role', userId, role };
      });
    const changed = await this.events.withChange(change, () =>
      from === role
        ? undefined
        : merchantEvent('member.role_changed', principal, principal.merchantId, memberSubject(userId), {
            user_id: userId,
            from: from!,
            to: role,
          }),
    );
    return presentMembership(changed!);
  }

  /** Ends a membership: the member's own (leaving), or, by an owner or admin, someone's below them. */
  async remove(principal: MemberPrincipal, userId: string): Promise<void> {
    let removedRole: Role | undefined;
    const change = () =>
      this.memberships.changeLocked(principal.merchantId, (members) => {
        const { actor, target } = actorAndTarget(members, principal, userId);
        removedRole = target.role;
        if (actor.user_id !== target.user_id && !roleManages(actor.role, target.role)) {
          throw forbidden('Only an owner removes owners and admins; an admin removes developers and viewers.');
        }
        if (target.role === 'owner') assertAnotherOwner(members);
        return { kind: 'remove', userId };
      });
    await this.events.withChange(change, () =>
      merchantEvent('member.removed', principal, principal.merchantId, memberSubject(userId), {
        user_id: userId,
        role: removedRole!,
        left: userId === principal.userId,
      }),
    );
  }

  async setRequireMfa(principal: Principal, requireMfa: boolean): Promise<{ require_mfa: boolean }> {
    await this.events.withChange(
      () => this.memberships.setRequireMfa(principal.merchantId, requireMfa),
      () =>
        merchantEvent('merchant.updated', principal, principal.merchantId, merchantSubject(principal.merchantId), {
          fields: ['require_mfa'],
        }),
    );
    return { require_mfa: requireMfa };
  }
}

function actorAndTarget(members: Membership[], principal: MemberPrincipal, userId: string) {
  const actor = members.find((m) => m.user_id === principal.userId);
  // Removed or demoted meanwhile: the guard's answer is stale, so decide as for a non-member.
  if (!actor) throw notFound('No merchant has this id, or you are not one of its members.');
  const target = members.find((m) => m.user_id === userId);
  if (!target) throw notFound('This user is not a member of this merchant.');
  return { actor, target };
}

function assertAnotherOwner(members: Membership[]): void {
  if (members.filter((m) => m.role === 'owner').length < 2) throw soleOwner();
}
