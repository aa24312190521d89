import { randomUUID } from 'node:crypto';
import type { MailOutbox, UnitOfWork } from './mail-outbox.js';
import type { EmailTemplate } from './mailer.js';
import type { MailRelay } from './mail-relay.js';
import type { CodePurpose, OneTimeCodes } from './one-time-codes.js';
import type { User } from './user.js';

/** What a unit of work may ask to mail; each request becomes an outbox row in its transaction. */
export interface MailQueue {
  /** Issues a new one-time code for the purpose and queues the mail (its template has the purpose's name) carrying it. */
  code(user: User, purpose: Exclude<CodePurpose, 'email_change'>): Promise<void>;
  welcome(user: User): Promise<void>;
  /** A code proving `newEmail` goes there; the current address gets a notice without it. */
  emailChange(user: User, newEmail: string): Promise<void>;
  /** Sign-in to the account is locked for a while; lock-notice.ts sends one per window, each a new mail. */
  accountLocked(user: User): Promise<void>;
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
    const add = async (user: Pick<User, 'email'>, template: EmailTemplate, data: Record<string, string>, idempotencyKey: string) => {
      queued.push(await this.outbox.add({ to: user.email, template, data, idempotencyKey }));
    };
    const queue: MailQueue = {
      code: async (user, purpose) => {
        const { id, code } = await this.codes.issue(user.id, purpose);
        // Only the code: a mail that carries a code holds no text a requester typed (a name could be a phishing line).
        await add(user, purpose, { code }, `code:${id}`);
      },
      emailChange: async (user, newEmail) => {
        const { id, code } = await this.codes.issue(user.id, 'email_change', newEmail);
        await add({ email: newEmail }, 'email_change_code', { code }, `code:${id}`);
        // Names no address: whoever reads the old mailbox learns only that a change was asked for.
        await add(user, 'email_change_notice', {}, `email_change_notice:${id}`);
      },
      welcome: (user) => add(user, 'welcome', { name: user.firstName }, `welcome:${user.id}`),
      accountLocked: (user) => add(user, 'account_locked', {}, `account_locked:${randomUUID()}`),
    };
    const result = await this.unitOfWork.run(() => work(queue));
    await this.relay.deliver(queued);
    return result;
  }
}
