import { DataTypes, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

export interface MerchantRow extends Model<InferAttributes<MerchantRow>, InferCreationAttributes<MerchantRow>> {
  id: string;
  user_id: string;
  business_name: string;
  business_type: string | null;
  phone: string | null;
  website: string | null;
  address_line1: string;
  address_line2: string | null;
  address_city: string;
  address_region: string | null;
  address_postal_code: string | null;
  address_country: string;
  currency: string;
  created_at: CreationOptional<Date>;
  updated_at: CreationOptional<Date>;
}

/** Defined per Sequelize instance, so two databases in one process never share a model class. */
export function defineMerchantModel(sequelize: Sequelize): ModelStatic<MerchantRow> {
  return sequelize.define<MerchantRow>(
    'Merchant',
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      user_id: { type: DataTypes.STRING(36), allowNull: false, unique: true },
      business_name: { type: DataTypes.STRING(200), allowNull: false },
      business_type: { type: DataTypes.STRING(100), allowNull: true },
      phone: { type: DataTypes.STRING(16), allowNull: true },
      website: { type: DataTypes.STRING(2048), allowNull: true },
      address_line1: { type: DataTypes.STRING(200), allowNull: false },
      address_line2: { type: DataTypes.STRING(200), allowNull: true },
      address_city: { type: DataTypes.STRING(100), allowNull: false },
      address_region: { type: DataTypes.STRING(100), allowNull: true },
      address_postal_code: { type: DataTypes.STRING(20), allowNull: true },
      address_country: { type: DataTypes.STRING(2), allowNull: false },
      currency: { type: DataTypes.STRING(3), allowNull: false },
      created_at: DataTypes.DATE(3),
      updated_at: DataTypes.DATE(3),
    },
    { tableName: 'merchants', timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at', underscored: true },
  );
}
