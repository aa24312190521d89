import { QueryTypes, type Sequelize } from 'sequelize';
import type { AccountErasureRepository } from '../domain/account-deletion.js';
import { currentTransaction } from './transactions.js';

/** Every table of auth with a row per user (`user_id`): all of them go with the user. */
const USER_TABLES = [
  'refresh_tokens',
  'one_time_codes',
  'passkey_credentials',
  'webauthn_challenges',
  'totp_factors',
  'recovery_codes',
  'mfa_challenges',
] as const;

export class SequelizeAccountErasure implements AccountErasureRepository {
  constructor(private readonly sequelize: Sequelize) {}

  async erase(userId: string): Promise<{ email: string } | undefined> {
    const transaction = currentTransaction();
    // Locked, so of two concurrent deletions one erases and the other finds nothing.
    const [user] = await this.sequelize.query<{ email: string }>(
      `SELECT email FROM users WHERE id = ?${this.sequelize.getDialect() === 'mysql' ? ' FOR UPDATE' : ''}`,
      { replacements: [userId], type: QueryTypes.SELECT, transaction },
    );
    if (!user) return undefined;
    for (const table of USER_TABLES) {
      await this.sequelize.query(`DELETE FROM ${table} WHERE user_id = ?`, { replacements: [userId], transaction });
    }
    // Mail auth has not handed to the email service yet (codes in its data) goes too.
    await this.sequelize.query('DELETE FROM auth_mail_outbox WHERE recipient = ?', { replacements: [user.email], transaction });
    await this.sequelize.query('DELETE FROM users WHERE id = ?', { replacements: [userId], transaction });
    return { email: user.email };
  }
}
