import { z } from 'zod';

/**
 * The wire format of auth's revocation feed (`GET /internal/revocations?after=<cursor>`), shared
 * by the route that serves it and the pollers that read it. A revocation kills every access token
 * of its subject (a user, or one session) issued at or before `revoked_before`; it matters until
 * `expires_at`, when the last such token has expired anyway.
 */
const REVOCATION_KINDS = ['user', 'session'] as const;
export type RevocationKind = (typeof REVOCATION_KINDS)[number];

export const RevocationEntry = z.object({
  id: z.string(),
  kind: z.enum(REVOCATION_KINDS),
  subject_id: z.string(),
  revoked_before: z.iso.datetime(),
  expires_at: z.iso.datetime(),
});
export type RevocationEntry = z.infer<typeof RevocationEntry>;

export const RevocationFeedPage = z.object({
  items: z.array(RevocationEntry),
  /** What to pass as `after` next time (the given cursor again when nothing is new). */
  next_cursor: z.string(),
  /** More entries wait beyond this page; ask again at once. */
  has_more: z.boolean(),
});
export type RevocationFeedPage = z.infer<typeof RevocationFeedPage>;

/** Where a poller reads the feed: auth over HTTP, or auth's own database in-process. */
export interface RevocationSource {
  fetchAfter(cursor: string | undefined): Promise<RevocationFeedPage>;
}
