import { z } from 'zod';
import { FactorView, UserView } from '../domain/views.js';
import { Session } from './session-schemas.js';

/** Deleting an account is spelt out: a misclick or a replayed empty body cannot do it. */
export const DeleteAccountBody = z.object({ confirm: z.literal('DELETE', { error: 'must be "DELETE"' }) });

const Records = (description: string) => z.array(z.record(z.string(), z.unknown())).describe(description);

export const DataExportView = z.object({
  exported_at: z.iso.datetime(),
  user: UserView,
  sessions: z.array(Session),
  factors: z.array(FactorView).describe('metadata only: never a secret, hash or recovery code'),
  memberships: Records('membership objects, as `GET /merchants/{id}/members` lists them'),
  merchants: Records('the full profiles of those merchants, as `GET /merchants/{id}/profile` answers them'),
  security_events: Records('the caller’s security events, as `GET /auth/me/activity` lists them'),
  emails: Records('e-mails sent to the caller’s address: `{id, template, status, created_at, sent_at}`, never their content'),
});
