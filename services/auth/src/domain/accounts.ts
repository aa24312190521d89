import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { emailTaken, invalidCredentials, notFound } from '@merchant-platform/common/errors';
import { clientNetwork, reserveAttempt } from '@merchant-platform/common/rate-limit';
import type { AccountMail } from './account-mail.js';
import { activeUser } from './active-user.js';
import { assertPasswordsMatch, assertStrongPassword, type PasswordHasher } from './passwords.js';
import { presentUser } from './presenters.js';
import type { Revocations } from './revocations.js';
import type { SecurityEvents } from './security-events.js';
import type { UserView } from './views.js';
import { displayName, type ProfileChanges, type User, type UserRepository } from './user.js';

/** Registrations send mail, so they are limited per client network and platform-wide. */
export interface RegistrationLimits {
  perIp: RateLimiterAbstract;
  /** Every registration on the platform counts against one key. */
  platformWide: RateLimiterAbstract;
}

export interface Registration {
  email: string;
  password: string;
  confirm_password: string;
  first_name: string;
  middle_name: string | null;
  last_name: string;
}

/** Sign-up and the signed-in user's own account. */
export class Accounts {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly revocations: Revocations,
    private readonly mail: AccountMail,
    private readonly registrationLimits: RegistrationLimits,
    /** Wrong current passwords per user (PUT /auth/password), spent before bcrypt like sign-in's. */
    private readonly passwordChecks: RateLimiterAbstract,
    private readonly events: SecurityEvents,
  ) {}

  async register(input: Registration, clientIp: string): Promise<UserView> {
    assertPasswordsMatch(input.password, input.confirm_password);
    assertStrongPassword(input.password);
    await reserveAttempt([
      { limiter: this.registrationLimits.perIp, key: clientNetwork(clientIp) },
      { limiter: this.registrationLimits.platformWide, key: 'all' },
    ]);
    // Cheap early answer; the unique index still decides races between concurrent sign-ups.
    if (await this.users.findByEmail(input.email)) throw emailTaken();
    // Hashed before the transaction, so the write lock is held for the inserts only.
    const passwordHash = await this.hasher.hash(input.password);
    const user = await this.mail.commit(async (queue) => {
      const created = await this.users.create({
        email: input.email,
        passwordHash,
        googleSubject: null,
        firstName: input.first_name,
        middleName: input.middle_name,
        lastName: input.last_name,
        profilePicture: null,
        emailVerified: false,
        roles: ['merchant'],
      });
      if (!created) throw emailTaken();
      await queue.code(created, 'verify_email');
      await this.events.record({ type: 'user.registered', userId: created.id, data: { email: created.email, method: 'password' } });
      return created;
    });
    return presentUser(user);
  }

  async me(userId: string): Promise<UserView> {
    return presentUser(await this.activeUser(userId));
  }

  async updateProfile(userId: string, changes: ProfileChanges): Promise<UserView> {
    await this.activeUser(userId);
    // Merchants keep a copy of the name on memberships: the event tells them to refresh it.
    const user = await this.events.withChange(
      () => this.users.update(userId, changes),
      (updated) => updated && { type: 'user.profile_updated', userId, data: { name: displayName(updated) } },
    );
    if (!user) throw notFound('This account no longer exists.');
    return presentUser(user);
  }

  /** Changes the password and ends every other session of the user (`sessionId` is the caller's). */
  async changePassword(
    userId: string,
    sessionId: string | undefined,
    current: string,
    password: string,
    confirmation: string,
  ): Promise<void> {
    const user = await this.activeUser(userId);
    const attempt = await reserveAttempt([{ limiter: this.passwordChecks, key: userId }]);
    const currentOk = user.passwordHash ? await this.hasher.verify(current, user.passwordHash) : await this.hasher.verifyNobody(current);
    if (!currentOk) throw invalidCredentials('The current password is incorrect.');
    await attempt.giveBack();
    assertPasswordsMatch(password, confirmation);
    assertStrongPassword(password);
    const passwordHash = await this.hasher.hash(password);
    await this.events.withChange(
      () => this.users.update(userId, { passwordHash }),
      () => ({ type: 'user.password_changed', userId, data: {} }),
    );
    await this.revocations.endOtherSessions(userId, sessionId);
  }

  /** Every session ends: refresh tokens now, access tokens in every service within a poll. */
  logoutEverywhere(userId: string): Promise<void> {
    return this.revocations.endAllSessions(userId);
  }

  /** An access token outlives a deletion or a ban by up to its lifetime; the row has the last word. */
  activeUser(userId: string): Promise<User> {
    return activeUser(this.users, userId);
  }
}
