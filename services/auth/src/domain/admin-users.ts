import { accountDisabled, forbidden, notFound } from '@merchant-platform/common/errors';
import { toPage, type Page, type PageQuery } from '@merchant-platform/common/pagination';
import { presentUser } from './presenters.js';
import type { UserView } from './views.js';
import type { Revocations } from './revocations.js';
import type { SecurityEvents } from './security-events.js';
import type { Role, UserRepository } from './user.js';

/** What an admin may do to other accounts, and who counts as an admin: the database says, not the token. */
export class AdminUsers {
  constructor(
    private readonly users: UserRepository,
    private readonly revocations: Revocations,
    private readonly events: SecurityEvents,
  ) {}

  /**
   * The acting user, as stored now: a token minted before its owner was disabled or demoted
   * still says `admin`, so the claim alone never authorizes an admin route.
   */
  async authorize(actorId: string): Promise<void> {
    const actor = await this.users.findById(actorId);
    if (!actor || actor.disabled) throw accountDisabled();
    if (!actor.roles.includes('admin')) throw forbidden('This requires the admin role.');
  }

  async list(query: PageQuery): Promise<Page<UserView>> {
    const rows = await this.users.listPage(query.limit + 1, query.cursor);
    return toPage(rows, query.limit, presentUser, (u) => ({ createdAt: u.createdAt, id: u.id }));
  }

  async update(adminId: string, userId: string, changes: { disabled?: boolean; roles?: Role[] }): Promise<UserView> {
    // 403, not 422: the request is well formed; this caller may not make it (another admin may).
    if (adminId === userId && (changes.disabled !== undefined || changes.roles !== undefined)) {
      throw forbidden('Nobody can change their own disabled flag or roles; ask another admin.');
    }
    const before = await this.users.findById(userId);
    if (!before) throw notFound('No user has this id.');
    const roles = changes.roles ? [...new Set(changes.roles)] : undefined;
    const disabling = changes.disabled === true && !before.disabled;
    const user = await this.events.withChange(
      () =>
        this.users.update(userId, {
          ...(changes.disabled !== undefined ? { disabled: changes.disabled } : {}),
          ...(roles ? { roles } : {}),
        }),
      (updated) => (updated && disabling ? { type: 'user.disabled', userId, actorId: adminId, data: {} } : undefined),
    );
    if (!user) throw notFound('No user has this id.');
    // Disabled, or given other roles: every token of theirs dies, so none carries the old roles.
    if (changes.disabled === true || (roles && !sameRoles(roles, before.roles))) await this.revocations.endAllSessions(userId);
    return presentUser(user);
  }

  /** The first admin (`npm run admin -- promote`): adds `admin` to the account with this email. */
  async promote(email: string): Promise<{ user: UserView; changed: boolean }> {
    const user = await this.users.findByEmail(email.trim().toLowerCase());
    if (!user) throw notFound(`No account has the email ${email}.`);
    if (user.roles.includes('admin')) return { user: presentUser(user), changed: false };
    const promoted = await this.users.update(user.id, { roles: [...user.roles, 'admin'] });
    if (!promoted) throw notFound(`No account has the email ${email}.`);
    await this.revocations.endAllSessions(user.id);
    return { user: presentUser(promoted), changed: true };
  }
}

function sameRoles(a: Role[], b: Role[]): boolean {
  return a.length === b.length && a.every((role) => b.includes(role));
}
