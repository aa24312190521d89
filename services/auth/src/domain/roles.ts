import type { Role, User, UserRepository } from './user.js';

type RoleSubject = Pick<User, 'email' | 'emailVerified' | 'roles'>;

/**
 * The one rule for which roles an account gets: the roles it has, plus `admin` once its email is
 * verified and listed in ADMIN_EMAILS. Applied when an email is verified (code or Google) and at
 * every sign-in, so adding an address to ADMIN_EMAILS promotes an already-verified account at its
 * next sign-in. The list only ever adds: to demote a listed admin, take it off the list first.
 */
export class RoleGrants {
  constructor(
    private readonly users: UserRepository,
    private readonly adminEmails: readonly string[],
  ) {}

  rolesFor(account: RoleSubject): Role[] {
    const listed = account.emailVerified && this.adminEmails.includes(account.email.toLowerCase());
    return listed && !account.roles.includes('admin') ? [...account.roles, 'admin'] : account.roles;
  }

  /** The user with the roles the rule gives them, stored if that changed anything. */
  async apply(user: User): Promise<User> {
    const roles = this.rolesFor(user);
    if (roles === user.roles) return user;
    return (await this.users.update(user.id, { roles })) ?? user;
  }
}
