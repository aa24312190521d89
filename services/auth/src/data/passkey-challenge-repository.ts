import { Op, type ModelStatic } from 'sequelize';
import type { ChallengePurpose, WebAuthnChallenge, WebAuthnChallengeRepository } from '../domain/passkeys.js';
import type { WebAuthnChallengeRow } from './passkey-models.js';

export class SequelizeWebAuthnChallengeRepository implements WebAuthnChallengeRepository {
  constructor(private readonly model: ModelStatic<WebAuthnChallengeRow>) {}

  async create(challenge: WebAuthnChallenge & { expiresAt: Date }): Promise<void> {
    await this.model.create({
      id: challenge.id,
      purpose: challenge.purpose,
      user_id: challenge.userId,
      challenge_hash: challenge.challengeHash,
      expires_at: challenge.expiresAt,
    });
  }

  async consume(match: { purpose: ChallengePurpose } & ({ id: string } | { challengeHash: string; userId: string })): Promise<WebAuthnChallenge | undefined> {
    const which = 'id' in match ? { id: match.id } : { challenge_hash: match.challengeHash, user_id: match.userId };
    const now = new Date();
    // The conditional UPDATE is the single-use guarantee: of concurrent callers, one changes the row.
    const [changed] = await this.model.update(
      { used_at: now },
      { where: { ...which, purpose: match.purpose, used_at: null, expires_at: { [Op.gt]: now } } },
    );
    if (changed !== 1) return undefined;
    const row = await this.model.findOne({ where: which });
    if (!row) return undefined;
    return { id: row.id, purpose: row.purpose as ChallengePurpose, userId: row.user_id, challengeHash: row.challenge_hash };
  }

  async deleteExpired(before: Date): Promise<void> {
    await this.model.destroy({ where: { expires_at: { [Op.lt]: before } } });
  }
}
