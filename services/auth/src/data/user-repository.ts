import { randomUUID } from 'node:crypto';
import { UniqueConstraintError, type InferAttributes, type ModelStatic } from 'sequelize';
import { afterCursor, KEYSET_ORDER } from '@merchant-platform/common/db/keyset';
import { dateColumn, selectOneRow } from '@merchant-platform/common/db/raw-read';
import { ROLES, type NewUser, type Role, type User, type UserChanges, type UserRepository } from '../domain/user.js';
import type { UserRow } from './models.js';
import { currentTransaction } from './transactions.js';

export class SequelizeUserRepository implements UserRepository {
  constructor(private readonly model: ModelStatic<UserRow>) {}

  async create(user: NewUser): Promise<User | undefined> {
    try {
      const row = await this.model.create({
        id: randomUUID(),
        email: user.email,
        password_hash: user.passwordHash,
        google_subject: user.googleSubject,
        first_name: user.firstName,
        middle_name: user.middleName,
        last_name: user.lastName,
        profile_picture: user.profilePicture,
        email_verified: user.emailVerified,
        roles: user.roles.join(','),
      }, { transaction: currentTransaction() });
      return toUser(row);
    } catch (error) {
      if (error instanceof UniqueConstraintError) return undefined;
      throw error;
    }
  }

  /** `/auth/me` reads this on every call: outside a transaction it skips the model layer (raw-read.ts). */
  async findById(id: string): Promise<User | undefined> {
    const transaction = currentTransaction();
    if (!transaction) {
      const row = await selectOneRow(this.model.sequelize!, USER_BY_ID, [id]);
      return row ? toUser({ ...(row as unknown as UserColumns), created_at: dateColumn(row.created_at) }) : undefined;
    }
    const row = await this.model.findByPk(id, { transaction });
    return row ? toUser(row) : undefined;
  }

  async findByEmail(email: string): Promise<User | undefined> {
    const row = await this.model.findOne({ where: { email } });
    return row ? toUser(row) : undefined;
  }

  async findByGoogleSubject(subject: string): Promise<User | undefined> {
    const row = await this.model.findOne({ where: { google_subject: subject } });
    return row ? toUser(row) : undefined;
  }

  async update(id: string, changes: UserChanges): Promise<User | undefined> {
    const row = await this.model.findByPk(id, { transaction: currentTransaction() });
    if (!row) return undefined;
    const columns: Partial<InferAttributes<UserRow>> = {};
    if (changes.passwordHash !== undefined) columns.password_hash = changes.passwordHash;
    if (changes.googleSubject !== undefined) columns.google_subject = changes.googleSubject;
    if (changes.emailVerified !== undefined) columns.email_verified = changes.emailVerified;
    if (changes.roles !== undefined) columns.roles = changes.roles.join(',');
    if (changes.disabled !== undefined) columns.disabled = changes.disabled;
    if (changes.firstName !== undefined) columns.first_name = changes.firstName;
    if (changes.middleName !== undefined) columns.middle_name = changes.middleName;
    if (changes.lastName !== undefined) columns.last_name = changes.lastName;
    if (changes.profilePicture !== undefined) columns.profile_picture = changes.profilePicture;
    await row.update(columns, { transaction: currentTransaction() });
    return toUser(row);
  }

  async changeEmail(id: string, email: string, roles: Role[]): Promise<User | undefined> {
    try {
      const [changed] = await this.model.update({ email, email_verified: true, roles: roles.join(',') }, { where: { id }, transaction: currentTransaction() });
      return changed === 1 ? await this.findById(id) : undefined;
    } catch (error) {
      if (error instanceof UniqueConstraintError) return undefined;
      throw error;
    }
  }

  async listPage(limit: number, after: { createdAt: Date; id: string } | undefined): Promise<User[]> {
    const rows = await this.model.findAll({ where: afterCursor(after), order: KEYSET_ORDER, limit });
    return rows.map(toUser);
  }
}

type UserColumns = InferAttributes<UserRow> & { has_passkey?: unknown };

/** The model's default scope as one statement: the user and whether any passkey is theirs. */
const USER_BY_ID =
  'SELECT users.*, EXISTS (SELECT 1 FROM passkey_credentials WHERE passkey_credentials.user_id = users.id) AS has_passkey FROM users WHERE users.id = ? LIMIT 1';

/** A model instance, or a row read without the model (its columns as plain properties). */
function toUser(row: UserRow | UserColumns): User {
  return {
    id: row.id,
    email: row.email,
    passwordHash: row.password_hash,
    googleSubject: row.google_subject,
    firstName: row.first_name,
    middleName: row.middle_name,
    lastName: row.last_name,
    profilePicture: row.profile_picture,
    emailVerified: Boolean(row.email_verified),
    roles: row.roles.split(',').filter((r): r is Role => (ROLES as readonly string[]).includes(r)),
    disabled: Boolean(row.disabled),
    hasPasskey: Boolean('get' in row ? row.get('has_passkey') : row.has_passkey),
    createdAt: row.created_at,
  };
}
