import { z } from 'zod';
import type { ApiRouter } from '@merchant-platform/common/http/api-router';
import { currentUser } from '@merchant-platform/common/http/guards';
import type { UserGuards } from '../step-up-guard.js';
import type { AuthUseCases } from '../../domain/use-cases.js';
import type { UserView } from '../../domain/views.js';
import { Accepted, CodeBody } from '../schemas.js';
import { EmailChangeBody } from '../session-schemas.js';

/** Moving the account to another address, proven by a code mailed there. */
export function emailChangeRoutes(api: ApiRouter, uc: AuthUseCases, guards: UserGuards, userSchema: typeof UserView): ApiRouter {
  const tags = ['account'];
  return api
    .route({
      method: 'post',
      path: '/auth/email/change',
      summary: 'Ask to change the email address: a code goes to the new one',
      description:
        'Needs a recent sign-in (401 `step_up_required`). The new address gets a code, the current one a notice without it; ' +
        'nothing changes until the code is confirmed. Counts against the per-user mail limit.',
      tags,
      guards: [guards.recent],
      body: EmailChangeBody,
      errors: [403, 409, 429],
      responses: { 202: { description: 'A code is on its way to the new address', schema: Accepted } },
      handler: async (ctx, { body }) => {
        await uc.emailChange.request(currentUser(ctx).sub, body.new_email);
        ctx.status = 202;
        ctx.body = { message: 'A code is on its way to the new address.' };
      },
    })
    .route({
      method: 'post',
      path: '/auth/email/change/confirm',
      summary: 'Confirm the new email address with the mailed code',
      description:
        'The account moves to the new address, verified; every other session ends. 409 `email_taken` if another account took ' +
        'the address meanwhile. After 5 wrong tries the code dies (429).',
      tags,
      guards: [guards.user],
      body: CodeBody,
      errors: [403, 409, 429],
      responses: { 200: { description: 'The user at the new address', schema: z.object({ user: userSchema }) } },
      handler: async (ctx, { body }) => {
        const claims = currentUser(ctx);
        ctx.body = { user: await uc.emailChange.confirm(claims.sub, claims.sid, body.code) };
      },
    });
}
