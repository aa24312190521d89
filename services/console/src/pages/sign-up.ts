import type { Router } from '@koa/router';
import { ApiError } from '../api-client/api-error.js';
import { callerOf } from '../http/user-api.js';
import { field, filled, secretField } from './form.js';
import type { PageDependencies } from './page-dependencies.js';
import { startSession } from './signing-in.js';
import type { TokenPair } from '../http/token-refresher.js';

const FIELDS = ['email', 'first_name', 'middle_name', 'last_name', 'password', 'confirm_password'];

/** `/sign-up`: register, then straight on to entering the e-mailed code (already signed in). */
export function signUpPage(router: Router, deps: PageDependencies): void {
  const { api, views } = deps;
  router.get('/sign-up', (ctx) => views.render(ctx, 'sign-up', { title: 'Create your account' }));

  router.post('/sign-up', async (ctx) => {
    const values = filled({
      email: field(ctx, 'email'),
      first_name: field(ctx, 'first_name'),
      middle_name: field(ctx, 'middle_name'),
      last_name: field(ctx, 'last_name'),
    });
    const password = secretField(ctx, 'password');
    const confirmation = secretField(ctx, 'confirm_password');
    try {
      await api.post('/auth/register', { json: { ...values, password, confirm_password: confirmation }, caller: callerOf(ctx) });
      const pair = await api.post<TokenPair>('/auth/token', { json: { email: values.email, password }, caller: callerOf(ctx) });
      await startSession(ctx, api, pair);
      ctx.redirect('/verify-email');
    } catch (error) {
      if (error instanceof ApiError && error.code === 'mfa_required') return ctx.redirect('/sign-in');
      views.refused(ctx, 'sign-up', { title: 'Create your account', values }, error, FIELDS);
    }
  });
}
