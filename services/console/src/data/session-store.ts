import { DataTypes, Op, type Model, type ModelStatic, type Sequelize } from 'sequelize';

interface SessionRow extends Model {
  id: string;
  data: string;
  expires_at: Date;
}

/** One expired-row sweep per this many writes: enough to keep the table small, cheap per request. */
const SWEEP_EVERY_WRITES = 200;

/**
 * koa-session's external store on the console's own table: the browser holds only the signed
 * session id, never a token.
 */
export class SequelizeSessionStore {
  private readonly rows: ModelStatic<SessionRow>;
  private writes = 0;

  constructor(sequelize: Sequelize) {
    this.rows = sequelize.define<SessionRow>(
      'ConsoleSession',
      {
        id: { type: DataTypes.STRING(64), primaryKey: true },
        data: { type: DataTypes.TEXT, allowNull: false },
        expires_at: { type: DataTypes.DATE(3), allowNull: false },
      },
      { tableName: 'console_sessions', timestamps: false },
    );
  }

  async get(id: string): Promise<Record<string, unknown> | undefined> {
    const row = await this.rows.findOne({ where: { id, expires_at: { [Op.gt]: new Date() } } });
    return row ? (JSON.parse(row.data) as Record<string, unknown>) : undefined;
  }

  async set(id: string, session: Record<string, unknown>, maxAgeMs: number | 'session'): Promise<void> {
    // A browser-session cookie still needs an end on the server: a day, like the default maxAge.
    const ttl = typeof maxAgeMs === 'number' ? maxAgeMs : 86_400_000;
    await this.rows.upsert({ id, data: JSON.stringify(session), expires_at: new Date(Date.now() + ttl) });
    if (++this.writes % SWEEP_EVERY_WRITES === 0) await this.rows.destroy({ where: { expires_at: { [Op.lte]: new Date() } } });
  }

  async destroy(id: string): Promise<void> {
    await this.rows.destroy({ where: { id } });
  }
}
