import { Op, type ModelStatic } from 'sequelize';
import type { RevocationKind } from '@merchant-platform/common/tokens/revocation-feed';
import type { RevocationRecord, RevocationRepository } from '../domain/revocations.js';
import type { RevocationRow } from './models.js';
import { currentTransaction } from './transactions.js';

export class SequelizeRevocationRepository implements RevocationRepository {
  constructor(private readonly model: ModelStatic<RevocationRow>) {}

  async add(kind: RevocationKind, subjectId: string, revokedBefore: Date): Promise<RevocationRecord> {
    const row = await this.model.create({ kind, subject_id: subjectId, revoked_before: revokedBefore }, { transaction: currentTransaction() });
    return toRecord(row);
  }

  async listAfter(afterId: number, revokedSince: Date, limit: number): Promise<RevocationRecord[]> {
    const rows = await this.model.findAll({
      where: { id: { [Op.gt]: afterId }, revoked_before: { [Op.gt]: revokedSince } },
      order: [['id', 'ASC']],
      limit,
    });
    return rows.map(toRecord);
  }
}

function toRecord(row: RevocationRow): RevocationRecord {
  return { id: Number(row.id), kind: row.kind as RevocationKind, subjectId: row.subject_id, revokedBefore: row.revoked_before };
}
