import { Op, type ModelStatic, type Sequelize } from 'sequelize';
import { sessionModel, type SessionRow } from './session-model.js';

/** The token pair as the session row holds it (console-session.ts's SessionTokens). */
export interface LeasedTokens {
  access: string;
  refresh: string;
  accessExpiresAt: number;
}

/** What a claim found: the lease is ours, another process holds it, or the session has no row yet. */
export type ClaimResult = 'claimed' | 'held' | 'no-row';

/**
 * The refresh lease on a console_sessions row: a conditional UPDATE that only one process can win
 * while the lease is live (SQLite and MySQL alike), and reads of the tokens the winner stored.
 */
export class SessionRefreshLeases {
  private readonly rows: ModelStatic<SessionRow>;

  constructor(sequelize: Sequelize) {
    this.rows = sessionModel(sequelize);
  }

  async claim(sessionId: string, leaseMs: number): Promise<ClaimResult> {
    const now = new Date();
    const [claimed] = await this.rows.update(
      { refresh_lease_until: new Date(now.getTime() + leaseMs) },
      { where: { id: sessionId, [Op.or]: [{ refresh_lease_until: null }, { refresh_lease_until: { [Op.lte]: now } }] } },
    );
    if (claimed === 1) return 'claimed';
    return (await this.rows.count({ where: { id: sessionId } })) > 0 ? 'held' : 'no-row';
  }

  /** The tokens the row holds now (undefined when the row or its tokens are gone: signed out). */
  async storedTokens(sessionId: string): Promise<LeasedTokens | undefined> {
    const row = await this.rows.findByPk(sessionId, { attributes: ['data'] });
    return row ? (JSON.parse(row.data) as { tokens?: LeasedTokens }).tokens : undefined;
  }

  /** Stores the new pair in the row and ends the lease, in one transaction (the row locked on MySQL). */
  async storeAndRelease(sessionId: string, tokens: LeasedTokens): Promise<void> {
    await this.rows.sequelize!.transaction(async (transaction) => {
      const row = await this.rows.findByPk(sessionId, { attributes: ['id', 'data'], transaction, lock: transaction.LOCK.UPDATE });
      if (!row) return;
      const data = { ...(JSON.parse(row.data) as Record<string, unknown>), tokens };
      await this.rows.update({ data: JSON.stringify(data), refresh_lease_until: null }, { where: { id: sessionId }, transaction });
    });
  }

  async release(sessionId: string): Promise<void> {
    await this.rows.update({ refresh_lease_until: null }, { where: { id: sessionId } });
  }
}
