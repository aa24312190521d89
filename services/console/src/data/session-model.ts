import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

export interface SessionRow extends Model {
  id: string;
  /** koa-session's data as JSON: the API tokens live here, never in the cookie. */
  data: string;
  expires_at: Date;
  /** Set while one process refreshes this session's tokens (refresh-lease.ts). */
  refresh_lease_until: Date | null;
}

/** The console_sessions model, defined once per Sequelize instance for the store and the lease. */
export function sessionModel(sequelize: Sequelize): ModelStatic<SessionRow> {
  if (sequelize.isDefined('ConsoleSession')) return sequelize.model('ConsoleSession') as ModelStatic<SessionRow>;
  return sequelize.define<SessionRow>(
    'ConsoleSession',
    {
      id: { type: DataTypes.STRING(64), primaryKey: true },
      data: { type: DataTypes.TEXT, allowNull: false },
      expires_at: { type: DataTypes.DATE(3), allowNull: false },
      refresh_lease_until: { type: DataTypes.DATE(3), allowNull: true },
    },
    { tableName: 'console_sessions', timestamps: false },
  );
}
