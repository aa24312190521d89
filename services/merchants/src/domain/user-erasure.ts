import type { ErasureResult, UserDepartureRepository } from './user-departure.js';

/**
 * What the `user.deleted` consumer calls: removes the user's memberships and deletes the
 * merchants whose only member they were (with their API keys). Idempotent, so a redelivered
 * event is harmless. app.ts binds it to the service's database.
 */
export function userErasure(departures: UserDepartureRepository): { eraseUserData(userId: string): Promise<ErasureResult> } {
  return { eraseUserData: (userId) => departures.erase(userId) };
}
