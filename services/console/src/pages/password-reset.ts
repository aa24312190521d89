import type { Router } from '@koa/router';
import { consoleSession } from '../http/console-session.js';
import { callerOf } from '../http/user-api.js';
import { field, secretField } from './form.js';
import type { PageDependencies } from './page-dependencies.js';

/** `/forgot-password` asks for a code by e-mail; `/reset-password` sets a new password with it. */
export function passwordResetPages(router: Router, deps: PageDependencies): void {
  const { api, views } = deps;
  router.get('/forgot-password', (ctx) => views.render(ctx, 'forgot-password', { title: 'Forgot your password?' }));

  router.post('/forgot-password', async (ctx) => {
    const email = field(ctx, 'email');
    try {
      await api.post('/auth/password/forgot', { json: { email }, caller: callerOf(ctx) });
      consoleSession(ctx).resetEmail = email;
      // The same words whether or not the address has an account, as the API answers.
      consoleSession(ctx).flash = 'If that address has an account, a code is on its way to it.';
      ctx.redirect('/reset-password');
    } catch (error) {
      views.refused(ctx, 'forgot-password', { title: 'Forgot your password?', values: { email } }, error, ['email']);
    }
  });

  const title = 'Choose a new password';
  router.get('/reset-password', (ctx) =>
    views.render(ctx, 'reset-password', { title, values: { email: consoleSession(ctx).resetEmail ?? '' } }),
  );

  router.post('/reset-password', async (ctx) => {
    const email = field(ctx, 'email');
    try {
      await api.post('/auth/password/reset', {
        json: {
          email,
          code: field(ctx, 'code'),
          password: secretField(ctx, 'password'),
          confirm_password: secretField(ctx, 'confirm_password'),
        },
        caller: callerOf(ctx),
      });
      delete consoleSession(ctx).resetEmail;
      consoleSession(ctx).flash = 'Your password is changed. Sign in with the new one.';
      ctx.redirect('/sign-in');
    } catch (error) {
      views.refused(ctx, 'reset-password', { title, values: { email } }, error, ['email', 'code', 'password', 'confirm_password']);
    }
  });
}
