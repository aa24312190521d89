import { DataTypes, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

export interface TotpFactorRow extends Model<InferAttributes<TotpFactorRow>, InferCreationAttributes<TotpFactorRow>> {
  id: string;
  user_id: string;
  name: string;
  secret_sealed: string;
  confirmed_at: CreationOptional<Date | null>;
  /** BIGINT: MySQL may hand it back as a string. */
  last_step: CreationOptional<number | string>;
  created_at: CreationOptional<Date>;
  last_used_at: CreationOptional<Date | null>;
}

export interface RecoveryCodeRow extends Model<InferAttributes<RecoveryCodeRow>, InferCreationAttributes<RecoveryCodeRow>> {
  id: string;
  user_id: string;
  code_hash: string;
  used_at: CreationOptional<Date | null>;
  created_at: CreationOptional<Date>;
}

export interface MfaChallengeRow extends Model<InferAttributes<MfaChallengeRow>, InferCreationAttributes<MfaChallengeRow>> {
  id: string;
  token_hash: string;
  user_id: string;
  auth_method: string;
  attempts: CreationOptional<number>;
  passkey_challenge_id: string | null;
  expires_at: Date;
  used_at: CreationOptional<Date | null>;
  created_at: CreationOptional<Date>;
}

export interface MfaModels {
  TotpFactor: ModelStatic<TotpFactorRow>;
  RecoveryCode: ModelStatic<RecoveryCodeRow>;
  MfaChallenge: ModelStatic<MfaChallengeRow>;
}

const createdOnly = { timestamps: true, createdAt: 'created_at', updatedAt: false } as const;

export function defineMfaModels(sequelize: Sequelize): MfaModels {
  const TotpFactor = sequelize.define<TotpFactorRow>(
    'TotpFactor',
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      user_id: { type: DataTypes.STRING(36), allowNull: false },
      name: { type: DataTypes.STRING(100), allowNull: false },
      secret_sealed: { type: DataTypes.STRING(255), allowNull: false },
      confirmed_at: { type: DataTypes.DATE(3), allowNull: true },
      last_step: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      created_at: DataTypes.DATE(3),
      last_used_at: { type: DataTypes.DATE(3), allowNull: true },
    },
    { tableName: 'totp_factors', ...createdOnly },
  );
  const RecoveryCode = sequelize.define<RecoveryCodeRow>(
    'RecoveryCode',
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      user_id: { type: DataTypes.STRING(36), allowNull: false },
      code_hash: { type: DataTypes.STRING(64), allowNull: false },
      used_at: { type: DataTypes.DATE(3), allowNull: true },
      created_at: DataTypes.DATE(3),
    },
    { tableName: 'recovery_codes', ...createdOnly },
  );
  const MfaChallenge = sequelize.define<MfaChallengeRow>(
    'MfaChallenge',
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      token_hash: { type: DataTypes.STRING(64), allowNull: false },
      user_id: { type: DataTypes.STRING(36), allowNull: false },
      auth_method: { type: DataTypes.STRING(16), allowNull: false },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      passkey_challenge_id: { type: DataTypes.STRING(36), allowNull: true },
      expires_at: { type: DataTypes.DATE(3), allowNull: false },
      used_at: { type: DataTypes.DATE(3), allowNull: true },
      created_at: DataTypes.DATE(3),
    },
    { tableName: 'mfa_challenges', ...createdOnly },
  );
  return { TotpFactor, RecoveryCode, MfaChallenge };
}
