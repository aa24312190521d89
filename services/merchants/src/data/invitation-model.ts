import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import type { Invitation } from '../domain/invitation.js';

/** A row of `merchant_invitations`: a domain invitation and who accepted it. */
export type InvitationRecord = Invitation & { accepted_by?: string | null };

export interface InvitationRow extends Model<InvitationRecord, InvitationRecord>, InvitationRecord {}

export function invitationModel(sequelize: Sequelize): ModelStatic<InvitationRow> {
  if (sequelize.isDefined('Invitation')) return sequelize.model('Invitation') as ModelStatic<InvitationRow>;
  return sequelize.define<InvitationRow>(
    'Invitation',
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      merchant_id: { type: DataTypes.STRING(36), allowNull: false },
      email: { type: DataTypes.STRING(320), allowNull: false },
      role: { type: DataTypes.STRING(16), allowNull: false },
      token_hash: { type: DataTypes.STRING(64), allowNull: false },
      invited_by: { type: DataTypes.STRING(36), allowNull: false },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
      expires_at: { type: DataTypes.DATE(3), allowNull: false },
      accepted_at: { type: DataTypes.DATE(3), allowNull: true },
      accepted_by: { type: DataTypes.STRING(36), allowNull: true },
      revoked_at: { type: DataTypes.DATE(3), allowNull: true },
    },
    { tableName: 'merchant_invitations', timestamps: false },
  );
}
