import { DataTypes, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

export interface PasskeyCredentialRow extends Model<InferAttributes<PasskeyCredentialRow>, InferCreationAttributes<PasskeyCredentialRow>> {
  id: string;
  user_id: string;
  credential_id: string;
  credential_id_hash: string;
  public_key: Buffer;
  /** BIGINT: MySQL may hand it back as a string. */
  sign_count: number | string;
  counter_regressions: CreationOptional<number>;
  transports: string;
  name: string;
  created_at: CreationOptional<Date>;
  last_used_at: CreationOptional<Date | null>;
}

export interface WebAuthnChallengeRow extends Model<InferAttributes<WebAuthnChallengeRow>, InferCreationAttributes<WebAuthnChallengeRow>> {
  id: string;
  purpose: string;
  user_id: string | null;
  challenge_hash: string;
  expires_at: Date;
  used_at: CreationOptional<Date | null>;
  created_at: CreationOptional<Date>;
}

export interface PasskeyModels {
  PasskeyCredential: ModelStatic<PasskeyCredentialRow>;
  WebAuthnChallenge: ModelStatic<WebAuthnChallengeRow>;
}

export function definePasskeyModels(sequelize: Sequelize): PasskeyModels {
  const PasskeyCredential = sequelize.define<PasskeyCredentialRow>(
    'PasskeyCredential',
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      user_id: { type: DataTypes.STRING(36), allowNull: false },
      credential_id: { type: DataTypes.STRING(1400), allowNull: false },
      credential_id_hash: { type: DataTypes.STRING(64), allowNull: false },
      public_key: { type: DataTypes.BLOB, allowNull: false },
      sign_count: { type: DataTypes.BIGINT, allowNull: false },
      counter_regressions: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      transports: { type: DataTypes.STRING(255), allowNull: false },
      name: { type: DataTypes.STRING(100), allowNull: false },
      created_at: DataTypes.DATE(3),
      last_used_at: { type: DataTypes.DATE(3), allowNull: true },
    },
    { tableName: 'passkey_credentials', timestamps: true, createdAt: 'created_at', updatedAt: false },
  );
  const WebAuthnChallenge = sequelize.define<WebAuthnChallengeRow>(
    'WebAuthnChallenge',
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      purpose: { type: DataTypes.STRING(16), allowNull: false },
      user_id: { type: DataTypes.STRING(36), allowNull: true },
      challenge_hash: { type: DataTypes.STRING(64), allowNull: false },
      expires_at: { type: DataTypes.DATE(3), allowNull: false },
      used_at: { type: DataTypes.DATE(3), allowNull: true },
      created_at: DataTypes.DATE(3),
    },
    { tableName: 'webauthn_challenges', timestamps: true, createdAt: 'created_at', updatedAt: false },
  );
  return { PasskeyCredential, WebAuthnChallenge };
}
