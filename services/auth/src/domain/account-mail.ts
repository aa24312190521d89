import type { MailOutbox, UnitOfWork } from './mail-outbox.js';
import type { MailRelay } from './mail-relay.js';
import type { CodePurpose, OneTimeCodes } from './one-time-codes.js';
import type { User } from './user.js';

/** What a unit of work may ask to mail; each request becomes an outbox row in its transaction. */
export interface MailQueue {
  /** Issues a new one-time code for the purpose and queues the mail carrying it. */
  code(user: User, purpose: CodePurpose): Promise<void>;
  welcome(user: User): Promise<void>;
}

/**
 * State and the mail announcing it commit together: `commit` runs the work and its outbox
 * rows in one transaction, then hands the rows to the relay. A relay failure is logged and
 * counted, never fatal (sign-up must not fail because e-mail is down): the rows stay and the
 * relay retries them.
 */
export class AccountMail {
  constructor(
    private readonly codes: OneTimeCodes,
    private readonly outbox: MailOutbox,
    private readonly unitOfWork: UnitOfWork,
    private readonly relay: MailRelay,
  ) {}

  async commit<T>(work: (queue: MailQueue) => Promise<T>): Promise<T> {
    const queued: string[] = [];
    const queue: MailQueue = {
      code: async (user, purpose) => {
        const { id, code } = await this.codes.issue(user.id, purpose);
        queued.push(await this.outbox.add({ to: user.email, template: purpose, data: { name: user.firstName, code }, idempotencyKey: `code:${id}` }));
      },
      welcome: async (user) => {
        queued.push(await this.outbox.add({ to: user.email, template: 'welcome', data: { name: user.firstName }, idempotencyKey: `welcome:${user.id}` }));
      },
    };
    const result = await this.unitOfWork.run(() => work(queue));
    await this.relay.deliver(queued);
    return result;
  }
}
