import type { Logger } from '@merchant-platform/common/logger';
import { activeUser } from './active-user.js';
import type { UnitOfWork } from './mail-outbox.js';
import type { Revocations } from './revocations.js';
import type { UserDataPeers } from './user-data-peers.js';
import type { UserRepository } from './user.js';

export interface AccountErasureRepository {
  /**
   * Deletes the user and everything auth keeps about them (credentials, factors, passkeys,
   * sessions, codes, mail not yet handed over), inside the ambient unit of work; the address is
   * free again once it commits. Answers the erased email, or undefined when there was no user.
   */
  erase(userId: string): Promise<{ email: string } | undefined>;
}

/** What the rest of the platform learns of a deletion: the `user.deleted` event (no other personal data). */
export interface UserDeleted {
  userId: string;
  email: string;
  deletedAt: Date;
}

/**
 * THE call site for the `user.deleted` event: run inside the deletion's transaction, so an
 * outbox recorder commits the event with the deletion or not at all. The event pipeline's
 * consumers then erase the user in merchants (`eraseUserData`) and email (`eraseEmailsTo`).
 */
export type OnUserDeleted = (deleted: UserDeleted) => Promise<void>;

/** `DELETE /auth/me`: the account goes, its tokens die, the address can register again. */
export class AccountDeletion {
  constructor(
    private readonly users: UserRepository,
    private readonly erasure: AccountErasureRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly revocations: Revocations,
    private readonly peers: UserDataPeers,
    private readonly onUserDeleted: OnUserDeleted,
    private readonly logger: Logger,
  ) {}

  async delete(userId: string): Promise<void> {
    await activeUser(this.users, userId);
    // First, so a co-owner deleting at the same moment is refused by merchants' locks, not by luck.
    await this.peers.admitDeparture(userId);
    try {
      // Before the rows go: should the deletion fail, the person is only signed out everywhere.
      await this.revocations.record('user', userId);
      await this.unitOfWork.run(async () => {
        const erased = await this.erasure.erase(userId);
        // A concurrent request of the same user erased it first and recorded the event.
        if (erased) await this.onUserDeleted({ userId, email: erased.email, deletedAt: new Date() });
      });
    } catch (error) {
      await this.peers.withdrawDeparture(userId).catch((withdrawal: unknown) => {
        this.logger.warn({ err: withdrawal, userId }, 'could not withdraw the departure of an account whose deletion failed');
      });
      throw error;
    }
  }
}
