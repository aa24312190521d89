import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import type { Membership } from '../domain/membership.js';

/** A row holds exactly a domain membership. */
export interface MembershipRow extends Model<Membership, Membership>, Membership {}

/** Defined once per Sequelize instance: both repositories write memberships through the same class. */
export function membershipModel(sequelize: Sequelize): ModelStatic<MembershipRow> {
  if (sequelize.isDefined('Membership')) return sequelize.model('Membership') as ModelStatic<MembershipRow>;
  const model = sequelize.define<MembershipRow>(
    'Membership',
    {
      merchant_id: { type: DataTypes.STRING(36), primaryKey: true },
      user_id: { type: DataTypes.STRING(36), primaryKey: true },
      email: { type: DataTypes.STRING(320), allowNull: true },
      name: { type: DataTypes.STRING(200), allowNull: true },
      role: { type: DataTypes.STRING(16), allowNull: false },
      joined_at: { type: DataTypes.DATE(3), allowNull: false },
    },
    { tableName: 'merchant_memberships', timestamps: false },
  );
  model.removeAttribute('id');
  return model;
}
