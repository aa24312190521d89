import { Op, type WhereOptions } from 'sequelize';
import type { Cursor } from '../pagination.js';

/** Rows strictly after `cursor` in (created_at, id) order; pair with `KEYSET_ORDER`. */
export function afterCursor(cursor: Cursor | undefined): WhereOptions {
  if (!cursor) return {};
  return {
    [Op.or]: [{ created_at: { [Op.gt]: cursor.createdAt } }, { created_at: cursor.createdAt, id: { [Op.gt]: cursor.id } }],
  };
}

export const KEYSET_ORDER: [string, string][] = [
  ['created_at', 'ASC'],
  ['id', 'ASC'],
];
