import { conflict, notFound } from '@merchant-platform/common/errors';
import { toPage, type Page, type PageQuery } from '@merchant-platform/common/pagination';
import { presentUser, type UserView } from './presenters.js';
import type { TokenIssuer } from './token-issuer.js';
import type { Role, UserRepository } from './user.js';

/** What an admin may do to other accounts. */
export class AdminUsers {
  constructor(
    private readonly users: UserRepository,
    private readonly tokens: TokenIssuer,
  ) {}

  async list(query: PageQuery): Promise<Page<UserView>> {
    const rows = await this.users.listPage(query.limit + 1, query.cursor);
    return toPage(rows, query.limit, presentUser, (u) => ({ createdAt: u.createdAt, id: u.id }));
  }

  async update(adminId: string, userId: string, changes: { disabled?: boolean; roles?: Role[] }): Promise<UserView> {
    if (adminId === userId && (changes.disabled === true || (changes.roles && !changes.roles.includes('admin')))) {
      throw conflict('You cannot disable yourself or remove your own admin role.');
    }
    const user = await this.users.update(userId, {
      ...(changes.disabled !== undefined ? { disabled: changes.disabled } : {}),
      ...(changes.roles ? { roles: [...new Set(changes.roles)] } : {}),
    });
    if (!user) throw notFound('No user has this id.');
    // A disabled user's sessions end now; their access tokens expire within minutes.
    if (changes.disabled) await this.tokens.revokeAllForUser(userId);
    return presentUser(user);
  }
}
