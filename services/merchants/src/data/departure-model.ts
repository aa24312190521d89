import { DataTypes, Op, Transaction, type Model, type ModelStatic, type Sequelize } from 'sequelize';

/**
 * For transactions that lock a team and then read the departures: MySQL's default (repeatable
 * read) would answer that read from a snapshot taken before the wait for the locks, missing what
 * the transaction we waited for committed. (SQLite runs one writer at a time anyway.)
 */
export const LATEST_COMMITTED = { isolationLevel: Transaction.ISOLATION_LEVELS.READ_COMMITTED };

export interface DepartureRow extends Model<{ user_id: string; created_at: Date }>, Record<'user_id', string> {}

/** Defined once per Sequelize instance: the departures and memberships repositories read the same class. */
export function departureModel(sequelize: Sequelize): ModelStatic<DepartureRow> {
  if (sequelize.isDefined('UserDeparture')) return sequelize.model('UserDeparture') as ModelStatic<DepartureRow>;
  return sequelize.define<DepartureRow>(
    'UserDeparture',
    { user_id: { type: DataTypes.STRING(36), primaryKey: true }, created_at: { type: DataTypes.DATE(3), allowNull: false } },
    { tableName: 'merchant_user_departures', timestamps: false },
  );
}

/** Which of these users have an admitted account deletion (they no longer count as owners). */
export async function departingAmong(sequelize: Sequelize, userIds: string[], transaction: Transaction): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await departureModel(sequelize).findAll({ where: { user_id: { [Op.in]: userIds } }, transaction });
  return new Set(rows.map((r) => r.user_id));
}
