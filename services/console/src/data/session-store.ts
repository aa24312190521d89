import { Op, type ModelStatic, type Sequelize } from 'sequelize';
import { sessionModel, type SessionRow } from './session-model.js';

/** One expired-row sweep per this many writes: enough to keep the table small, cheap per request. */
const SWEEP_EVERY_WRITES = 200;

interface StoredTokens {
  accessExpiresAt?: unknown;
}

/**
 * koa-session's external store on the console's own table: the browser holds only the signed
 * session id, never a token.
 */
export class SequelizeSessionStore {
  private readonly rows: ModelStatic<SessionRow>;
  private writes = 0;

  constructor(sequelize: Sequelize) {
    this.rows = sessionModel(sequelize);
  }

  async get(id: string): Promise<Record<string, unknown> | undefined> {
    const row = await this.rows.findOne({ where: { id, expires_at: { [Op.gt]: new Date() } } });
    return row ? (JSON.parse(row.data) as Record<string, unknown>) : undefined;
  }

  async set(id: string, session: Record<string, unknown>, maxAgeMs: number | 'session'): Promise<void> {
    // A browser-session cookie still needs an end on the server: a day, like the default maxAge.
    const ttl = typeof maxAgeMs === 'number' ? maxAgeMs : 86_400_000;
    const data = await this.keepingNewerTokens(id, session);
    await this.rows.upsert(
      { id, data: JSON.stringify(data), expires_at: new Date(Date.now() + ttl) },
      // Never the lease: a save at the end of a request must not end another replica's refresh.
      { fields: ['id', 'data', 'expires_at'] },
    );
    if (++this.writes % SWEEP_EVERY_WRITES === 0) await this.rows.destroy({ where: { expires_at: { [Op.lte]: new Date() } } });
  }

  async destroy(id: string): Promise<void> {
    await this.rows.destroy({ where: { id } });
  }

  /**
   * A request that read the session before another replica refreshed it would otherwise save the
   * spent refresh token back, and the next refresh would end the session (`token_reused`). Every
   * refresh moves the access expiry forward, so the pair that expires later is the current one.
   */
  private async keepingNewerTokens(id: string, session: Record<string, unknown>): Promise<Record<string, unknown>> {
    const incoming = session.tokens as StoredTokens | undefined;
    if (!incoming) return session;
    const row = await this.rows.findByPk(id, { attributes: ['data'] });
    if (!row) return session;
    const stored = (JSON.parse(row.data) as { tokens?: StoredTokens }).tokens;
    const newer = stored && Number(stored.accessExpiresAt) > Number(incoming.accessExpiresAt);
    return newer ? { ...session, tokens: stored } : session;
  }
}
