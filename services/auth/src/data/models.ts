import { DataTypes, literal, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

// Models are defined per Sequelize instance (sequelize.define), never with a global Model.init,
// so two databases in one process (tests, all-in-one) never share a model class.

export interface UserRow extends Model<InferAttributes<UserRow>, InferCreationAttributes<UserRow>> {
  id: string;
  email: string;
  password_hash: string | null;
  google_subject: string | null;
  first_name: string;
  middle_name: string | null;
  last_name: string;
  profile_picture: string | null;
  email_verified: boolean;
  /** Comma-separated; portable across MySQL and SQLite and never queried by role. */
  roles: string;
  disabled: CreationOptional<boolean>;
  created_at: CreationOptional<Date>;
  updated_at: CreationOptional<Date>;
}

export interface RefreshTokenRow extends Model<InferAttributes<RefreshTokenRow>, InferCreationAttributes<RefreshTokenRow>> {
  id: string;
  user_id: string;
  family_id: string;
  token_hash: string;
  auth_method: string;
  expires_at: Date;
  used_at: CreationOptional<Date | null>;
  revoked_at: CreationOptional<Date | null>;
  /** Space-separated RFC 8176 values; null on rows of a release before sessions. */
  amr: string | null;
  auth_time: Date | null;
  session_started_at: Date | null;
  ip: string | null;
  user_agent: string | null;
  created_at: CreationOptional<Date>;
}

export interface OneTimeCodeRow extends Model<InferAttributes<OneTimeCodeRow>, InferCreationAttributes<OneTimeCodeRow>> {
  id: string;
  user_id: string;
  purpose: string;
  code_hash: string;
  attempts: CreationOptional<number>;
  expires_at: Date;
  consumed_at: CreationOptional<Date | null>;
  /** What the code proves besides the account: the new address of an email change. */
  target: CreationOptional<string | null>;
  created_at: CreationOptional<Date>;
}

export interface RevocationRow extends Model<InferAttributes<RevocationRow>, InferCreationAttributes<RevocationRow>> {
  id: CreationOptional<number>;
  kind: string;
  subject_id: string;
  revoked_before: Date;
  created_at: CreationOptional<Date>;
}
/** Sequelize names the users table `User` in its queries; backticks quote on MySQL and SQLite alike. */
const HAS_PASSKEY = literal('EXISTS (SELECT 1 FROM passkey_credentials WHERE passkey_credentials.user_id = `User`.`id`)');

export interface AuthModels {
  User: ModelStatic<UserRow>;
  RefreshToken: ModelStatic<RefreshTokenRow>;
  OneTimeCode: ModelStatic<OneTimeCodeRow>;
  Revocation: ModelStatic<RevocationRow>;
}

export function defineAuthModels(sequelize: Sequelize): AuthModels {
  const User = sequelize.define<UserRow>(
    'User',
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      email: { type: DataTypes.STRING(254), allowNull: false },
      password_hash: { type: DataTypes.STRING(100), allowNull: true },
      google_subject: { type: DataTypes.STRING(255), allowNull: true },
      first_name: { type: DataTypes.STRING(100), allowNull: false },
      middle_name: { type: DataTypes.STRING(100), allowNull: true },
      last_name: { type: DataTypes.STRING(100), allowNull: false },
      profile_picture: { type: DataTypes.STRING(2048), allowNull: true },
      email_verified: { type: DataTypes.BOOLEAN, allowNull: false },
      roles: { type: DataTypes.STRING(200), allowNull: false },
      disabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      created_at: DataTypes.DATE(3),
      updated_at: DataTypes.DATE(3),
    },
    {
      tableName: 'users',
      timestamps: true,
      createdAt: 'created_at',
      updatedAt: 'updated_at',
      // Whether the user has a passkey is read from the credentials themselves, never kept twice.
      defaultScope: { attributes: { include: [[HAS_PASSKEY, 'has_passkey']] } },
    },
  );
  const RefreshToken = sequelize.define<RefreshTokenRow>(
    'RefreshToken',
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      user_id: { type: DataTypes.STRING(36), allowNull: false },
      family_id: { type: DataTypes.STRING(36), allowNull: false },
      token_hash: { type: DataTypes.STRING(64), allowNull: false },
      auth_method: { type: DataTypes.STRING(16), allowNull: false },
      expires_at: { type: DataTypes.DATE(3), allowNull: false },
      used_at: { type: DataTypes.DATE(3), allowNull: true },
      revoked_at: { type: DataTypes.DATE(3), allowNull: true },
      amr: { type: DataTypes.STRING(64), allowNull: true },
      auth_time: { type: DataTypes.DATE(3), allowNull: true },
      session_started_at: { type: DataTypes.DATE(3), allowNull: true },
      ip: { type: DataTypes.STRING(64), allowNull: true },
      user_agent: { type: DataTypes.STRING(512), allowNull: true },
      created_at: DataTypes.DATE(3),
    },
    { tableName: 'refresh_tokens', timestamps: true, createdAt: 'created_at', updatedAt: false },
  );
  const OneTimeCode = sequelize.define<OneTimeCodeRow>(
    'OneTimeCode',
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      user_id: { type: DataTypes.STRING(36), allowNull: false },
      purpose: { type: DataTypes.STRING(32), allowNull: false },
      code_hash: { type: DataTypes.STRING(64), allowNull: false },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      expires_at: { type: DataTypes.DATE(3), allowNull: false },
      consumed_at: { type: DataTypes.DATE(3), allowNull: true },
      target: { type: DataTypes.STRING(254), allowNull: true },
      created_at: DataTypes.DATE(3),
    },
    { tableName: 'one_time_codes', timestamps: true, createdAt: 'created_at', updatedAt: false },
  );
  const Revocation = sequelize.define<RevocationRow>(
    'Revocation',
    {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
      kind: { type: DataTypes.STRING(16), allowNull: false },
      subject_id: { type: DataTypes.STRING(36), allowNull: false },
      revoked_before: { type: DataTypes.DATE(3), allowNull: false },
      created_at: DataTypes.DATE(3),
    },
    { tableName: 'auth_revocations', timestamps: true, createdAt: 'created_at', updatedAt: false },
  );
  return { User, RefreshToken, OneTimeCode, Revocation };
}
