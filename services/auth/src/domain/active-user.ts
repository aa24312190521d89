import { accountDisabled, notFound } from '@merchant-platform/common/errors';
import type { User, UserRepository } from './user.js';

/**
 * The signed-in user as stored now, for every route a user acts on their own account through:
 * an access token outlives a deletion or a ban by up to its lifetime, so the row has the last word,
 * and a disabled account gets the same 403 `account_disabled` on each of those routes.
 */
export async function activeUser(users: UserRepository, userId: string): Promise<User> {
  const user = await users.findById(userId);
  if (!user) throw notFound('This account no longer exists.');
  if (user.disabled) throw accountDisabled();
  return user;
}
