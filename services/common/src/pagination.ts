import { z } from 'zod';

/**
 * Keyset pagination over (created_at, id): stable under inserts, one indexed range query per
 * page. The cursor is opaque to clients (base64url JSON) and validated when it comes back.
 */
export interface Cursor {
  createdAt: Date;
  id: string;
}

const CursorPayload = z.object({ t: z.iso.datetime(), i: z.string().min(1).max(64) });

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify({ t: cursor.createdAt.toISOString(), i: cursor.id })).toString('base64url');
}

function decodeCursor(value: string): Cursor | undefined {
  try {
    const payload = CursorPayload.parse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
    return { createdAt: new Date(payload.t), id: payload.i };
  } catch {
    return undefined;
  }
}

/** `?limit=&cursor=` as the contract defines them: limit 1-100 (default 20), an opaque cursor. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .max(512)
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      const cursor = decodeCursor(value);
      if (!cursor) {
        ctx.addIssue({ code: 'custom', message: 'is not a cursor this API returned' });
        return z.NEVER;
      }
      return cursor;
    }),
});
export type PageQuery = z.output<typeof PageQuery>;

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/**
 * Builds a page from `limit + 1` rows: the extra row only tells whether another page exists.
 * `cursorOf` names the last row's position in (created_at, id) order.
 */
export function toPage<Row, T>(rows: Row[], limit: number, present: (row: Row) => T, cursorOf: (row: Row) => Cursor): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(present),
    next_cursor: rows.length > limit && last ? encodeCursor(cursorOf(last)) : null,
  };
}
