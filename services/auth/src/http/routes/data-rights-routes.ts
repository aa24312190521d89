import type { ApiRouter } from '@merchant-platform/common/http/api-router';
import { currentUser } from '@merchant-platform/common/http/guards';
import type { AuthUseCases } from '../../domain/use-cases.js';
import { DataExportView, DeleteAccountBody } from '../data-rights-schemas.js';
import { Accepted } from '../schemas.js';
import type { UserGuards } from '../step-up-guard.js';

/** The caller's data rights: a copy of everything held about them, and erasure of the account. */
export function dataRightsRoutes(api: ApiRouter, uc: AuthUseCases, guards: UserGuards): ApiRouter {
  const tags = ['account'];
  return api
    .route({
      method: 'get',
      path: '/auth/me/export',
      summary: 'Everything every service holds about you, in one JSON document',
      description:
        'Profile, sessions, second factors (metadata only), memberships and the profiles of those merchants, security ' +
        'events, and the e-mails sent to you (template, status, times; never a code). Needs a recent sign-in.',
      tags,
      guards: [guards.recent],
      errors: [403, 404],
      responses: { 200: { description: 'The document', schema: DataExportView } },
      handler: async (ctx) => {
        const claims = currentUser(ctx);
        ctx.set('Content-Disposition', 'attachment; filename="merchant-platform-export.json"');
        ctx.body = await uc.dataExport.export(claims.sub, claims.sid);
      },
    })
    .route({
      method: 'delete',
      path: '/auth/me',
      summary: 'Delete your account',
      description:
        'Needs a recent sign-in and `{"confirm": "DELETE"}`. Your tokens stop working everywhere within 5 seconds; within ' +
        '60 seconds your memberships are gone, merchants whose only member you were are deleted, the e-mails sent to ' +
        'you are erased, and your address can register again. Refused with 409 `sole_owner` (the merchants in ' +
        '`details`) while you are the last owner of a merchant that has other members.',
      tags,
      guards: [guards.recent],
      body: DeleteAccountBody,
      errors: [403, 404, 409],
      responses: { 202: { description: 'Deleted; the other services follow', schema: Accepted } },
      handler: async (ctx) => {
        await uc.accountDeletion.delete(currentUser(ctx).sub);
        ctx.status = 202;
        ctx.body = { message: 'Your account is deleted; every service forgets you within a minute.' };
      },
    });
}
