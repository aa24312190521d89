import { Op, type ModelStatic, type Sequelize } from 'sequelize';
import type { MfaChallenge, MfaChallengeRepository } from '../domain/mfa-challenge.js';
import type { MfaChallengeRow } from './mfa-models.js';

export class SequelizeMfaChallengeRepository implements MfaChallengeRepository {
  constructor(
    private readonly model: ModelStatic<MfaChallengeRow>,
    private readonly sequelize: Sequelize,
  ) {}

  async create(challenge: MfaChallenge & { tokenHash: string; expiresAt: Date }): Promise<void> {
    await this.model.create({
      id: challenge.id,
      token_hash: challenge.tokenHash,
      user_id: challenge.userId,
      auth_method: challenge.authMethod,
      passkey_challenge_id: challenge.passkeyChallengeId,
      expires_at: challenge.expiresAt,
    });
  }

  async findLive(tokenHash: string, maxAttempts: number): Promise<MfaChallenge | undefined> {
    const row = await this.model.findOne({ where: { token_hash: tokenHash, ...live(maxAttempts) } });
    if (!row) return undefined;
    return {
      id: row.id,
      userId: row.user_id,
      authMethod: row.auth_method as MfaChallenge['authMethod'],
      passkeyChallengeId: row.passkey_challenge_id,
    };
  }

  async spendAttempt(id: string, maxAttempts: number): Promise<boolean> {
    // The conditional UPDATE is the limit: concurrent tries are counted one by one, never past the maximum.
    const [changed] = await this.model.update(
      { attempts: this.sequelize.literal('attempts + 1') as unknown as number },
      { where: { id, ...live(maxAttempts) } },
    );
    return changed === 1;
  }

  async complete(id: string): Promise<boolean> {
    const [changed] = await this.model.update({ used_at: new Date() }, { where: { id, used_at: null } });
    return changed === 1;
  }

  async attachPasskeyChallenge(id: string, passkeyChallengeId: string): Promise<boolean> {
    const [changed] = await this.model.update({ passkey_challenge_id: passkeyChallengeId }, { where: { id, used_at: null } });
    return changed === 1;
  }

  async deleteExpired(before: Date): Promise<void> {
    await this.model.destroy({ where: { expires_at: { [Op.lt]: before } } });
  }
}

/** Unused, unexpired, with tries left. */
const live = (maxAttempts: number) => ({ used_at: null, expires_at: { [Op.gt]: new Date() }, attempts: { [Op.lt]: maxAttempts } });
