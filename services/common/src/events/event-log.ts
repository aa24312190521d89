import { Op, type ModelStatic, type Sequelize, type WhereOptions } from 'sequelize';
import { afterCursor, KEYSET_ORDER } from '../db/keyset.js';
import { withTransaction } from '../db/transaction-scope.js';
import { toPage, type Page, type PageQuery } from '../pagination.js';
import { withoutPersonalData, type EventType } from './catalogue.js';
import type { PlatformEvent } from './event.js';
import { eventModel, type EventRow } from './event-tables.js';

/** The filters the audit routes offer; each is an indexed column (see event-tables.ts). */
export interface EventFilter {
  type?: EventType | undefined;
  actorId?: string | undefined;
  subjectId?: string | undefined;
  merchantId?: string | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
}

/** A service's append-only audit log: read in pages, and never changed except to erase a deleted user. */
export class EventLog {
  private readonly model: ModelStatic<EventRow>;

  constructor(
    private readonly sequelize: Sequelize,
    prefix: string,
  ) {
    this.model = eventModel(sequelize, prefix);
  }

  /** Oldest first in (created_at, id) order, so a cursor resumes exactly where a page ended. */
  async list(filter: EventFilter, page: PageQuery): Promise<Page<PlatformEvent>> {
    const createdAt = {
      ...(filter.since ? { [Op.gte]: filter.since } : {}),
      ...(filter.until ? { [Op.lt]: filter.until } : {}),
    };
    const where: WhereOptions = {
      [Op.and]: [
        {
          ...(filter.type ? { type: filter.type } : {}),
          ...(filter.actorId ? { actor_id: filter.actorId } : {}),
          ...(filter.subjectId ? { subject_id: filter.subjectId } : {}),
          ...(filter.merchantId ? { merchant_id: filter.merchantId } : {}),
          ...(filter.since || filter.until ? { created_at: createdAt } : {}),
        },
        afterCursor(page.cursor),
      ],
    };
    const rows = await this.model.findAll({ where, order: KEYSET_ORDER, limit: page.limit + 1 });
    return toPage(rows, page.limit, presentEvent, (row) => ({ createdAt: row.created_at, id: row.id }));
  }

  /**
   * A deleted user's personal data leaves the events that name them (as actor or subject): the
   * IP, the user agent and the fields their type marks personal become null; the events stay.
   */
  async eraseUser(userId: string): Promise<number> {
    return withTransaction(this.sequelize, async (transaction) => {
      const rows = await this.model.findAll({ where: { [Op.or]: [{ actor_id: userId }, { subject_id: userId }] }, transaction });
      for (const row of rows) {
        const data = withoutPersonalData(row.type as EventType, JSON.parse(row.data) as Record<string, unknown>);
        await this.model.update({ ip: null, user_agent: null, data: JSON.stringify(data) }, { where: { id: row.id }, transaction });
      }
      return rows.length;
    });
  }
}

/** The contract's event, field by field from the row. */
export function presentEvent(row: EventRow): PlatformEvent {
  return {
    id: row.id,
    type: row.type as EventType,
    created_at: new Date(row.created_at).toISOString(),
    actor: { type: row.actor_type as PlatformEvent['actor']['type'], id: row.actor_id },
    subject: { type: row.subject_type, id: row.subject_id },
    merchant_id: row.merchant_id,
    ip: row.ip,
    user_agent: row.user_agent,
    request_id: row.request_id,
    data: JSON.parse(row.data) as Record<string, unknown>,
  };
}
