import type { AuthMethod } from '@merchant-platform/common/tokens/access-token';
import { authMethodsOf, type Role, type User } from './user.js';

/** The contract's user object, copied field by field: hashes and flags never leak. */
export interface UserView {
  id: string;
  email: string;
  first_name: string;
  middle_name: string | null;
  last_name: string;
  profile_picture: string | null;
  email_verified: boolean;
  roles: Role[];
  auth_methods: AuthMethod[];
  created_at: string;
}

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
