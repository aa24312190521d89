import { authMethodsOf, type User } from './user.js';
import type { UserView } from './views.js';

/** The contract's user object, copied field by field: hashes and flags never leak. */
export function presentUser(user: User): UserView {
  return {
    id: user.id,
    email: user.email,
    first_name: user.firstName,
    middle_name: user.middleName,
    last_name: user.lastName,
    profile_picture: user.profilePicture,
    email_verified: user.emailVerified,
    roles: [...user.roles],
    auth_methods: authMethodsOf(user),
    created_at: user.createdAt.toISOString(),
  };
}
