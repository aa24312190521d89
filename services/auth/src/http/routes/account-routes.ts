import { z } from 'zod';
import type { ApiRouter, Guard } from '@merchant-platform/common/http/api-router';
import { currentUser } from '@merchant-platform/common/http/guards';
import type { AuthUseCases } from '../../domain/use-cases.js';
import type { UserView } from '../../domain/views.js';
import { Accepted, CodeBody, ForgotBody, PasswordChangeBody, ProfilePatchBody, RegisterBody, ResetBody } from '../schemas.js';

export function accountRoutes(api: ApiRouter, uc: AuthUseCases, user: Guard, userSchema: typeof UserView): ApiRouter {
  const userBody = z.object({ user: userSchema });
  const tags = ['account'];
  return api
    .route({
      method: 'post',
      path: '/auth/register',
      aliases: ['/register'],
      summary: 'Create an account; a verification code is e-mailed',
      tags: ['sign-up'],
      body: RegisterBody,
      errors: [409, 429],
      responses: { 201: { description: 'Created', schema: userBody } },
      handler: async (ctx, { body }) => {
        ctx.status = 201;
        ctx.body = { user: await uc.accounts.register(body, ctx.ip) };
      },
    })
    .route({
      method: 'get',
      path: '/auth/me',
      summary: 'The signed-in user',
      tags,
      guards: [user],
      errors: [403],
      responses: { 200: { description: 'The user', schema: userBody } },
      handler: async (ctx) => {
        ctx.body = { user: await uc.accounts.me(currentUser(ctx).sub) };
      },
    })
    .route({
      method: 'patch',
      path: '/auth/me',
      summary: "Change the signed-in user's names or picture",
      description: '`middle_name` and `profile_picture` may be null to clear them; `profile_picture` must be an https URL.',
      tags,
      guards: [user],
      body: ProfilePatchBody,
      errors: [403],
      responses: { 200: { description: 'The updated user', schema: userBody } },
      handler: async (ctx, { body }) => {
        ctx.body = {
          user: await uc.accounts.updateProfile(currentUser(ctx).sub, {
            firstName: body.first_name,
            middleName: 'middle_name' in body ? body.middle_name : undefined,
            lastName: body.last_name,
            profilePicture: body.profile_picture,
          }),
        };
      },
    })
    .route({
      method: 'put',
      path: '/auth/password',
      summary: 'Change the password',
      description: 'Every other session of the user ends (refresh and access tokens); the caller’s stays.',
      tags,
      guards: [user],
      body: PasswordChangeBody,
      errors: [403, 429],
      responses: { 204: { description: 'Changed' } },
      handler: async (ctx, { body }) => {
        const claims = currentUser(ctx);
        await uc.accounts.changePassword(claims.sub, claims.sid, body.current_password, body.password, body.confirm_password);
        ctx.status = 204;
      },
    })
    .route({
      method: 'post',
      path: '/auth/logout-all',
      summary: 'Sign out everywhere: every session of the user ends, refresh and access tokens',
      tags,
      guards: [user],
      responses: { 204: { description: 'Signed out everywhere' } },
      handler: async (ctx) => {
        await uc.accounts.logoutEverywhere(currentUser(ctx).sub);
        ctx.status = 204;
      },
    })
    .route({
      method: 'post',
      path: '/auth/email/verification',
      summary: 'E-mail a new verification code (the previous one dies)',
      tags: ['sign-up'],
      guards: [user],
      errors: [403, 409, 429],
      responses: { 202: { description: 'A code is on its way', schema: Accepted } },
      handler: async (ctx) => {
        await uc.verification.resend(currentUser(ctx).sub);
        ctx.status = 202;
        ctx.body = { message: 'A verification code is on its way.' };
      },
    })
    .route({
      method: 'post',
      path: '/auth/email/verification/confirm',
      summary: 'Confirm the email address with the mailed code',
      description: 'After 5 wrong tries the code dies and further tries get 429 until a new code is requested.',
      tags: ['sign-up'],
      guards: [user],
      body: CodeBody,
      errors: [403, 409, 429],
      responses: { 200: { description: 'Verified', schema: userBody } },
      handler: async (ctx, { body }) => {
        ctx.body = { user: await uc.verification.confirm(currentUser(ctx).sub, body.code) };
      },
    })
    .route({
      method: 'post',
      path: '/auth/password/forgot',
      summary: 'E-mail a password reset code',
      description: 'Always 202 with the same body, whether or not the email has an account.',
      tags: ['sign-in'],
      body: ForgotBody,
      errors: [429],
      responses: { 202: { description: 'Accepted', schema: Accepted } },
      handler: async (ctx, { body }) => {
        await uc.passwordReset.forgot(body.email, ctx.ip);
        ctx.status = 202;
        ctx.body = { message: 'If this email has an account, a reset code is on its way.' };
      },
    })
    .route({
      method: 'post',
      path: '/auth/password/reset',
      summary: 'Set a new password with the mailed code',
      description:
        'Every session of the user ends (refresh and access tokens). The code also proves the email address, so it becomes verified.',
      tags: ['sign-in'],
      body: ResetBody,
      errors: [429],
      responses: { 204: { description: 'Password changed' } },
      handler: async (ctx, { body }) => {
        await uc.passwordReset.reset(body.email, body.code, body.password, body.confirm_password);
        ctx.status = 204;
      },
    });
}
