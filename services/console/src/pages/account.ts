import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { consoleSession, type SignedInUser } from '../http/console-session.js';
import { field, secretField } from './form.js';
import type { PageDependencies } from './page-dependencies.js';
import { pickUser, requireSignIn } from './signing-in.js';

interface AccountUser extends SignedInUser {
  middle_name: string | null;
  last_name: string;
  auth_methods: string[];
}

const PROFILE_FIELDS = ['first_name', 'middle_name', 'last_name'];
const PASSWORD_FIELDS = ['current_password', 'password', 'confirm_password'];

/** `/account`: the profile, the password and the e-mail address (changed with a code sent to the new one). */
export function accountPage(router: Router, deps: PageDependencies): void {
  const { views } = deps;

  const show = async (ctx: Context, extra: Record<string, unknown> = {}, status = 200) => {
    const { user } = await deps.userApi(ctx).get<{ user: AccountUser }>('/auth/me');
    consoleSession(ctx).user = pickUser(user);
    views.render(ctx, 'account', { title: 'Your account', account: user, ...extra }, status);
  };
  const refusedOn = async (ctx: Context, form: string, error: unknown, fields: string[]) => {
    const { user } = await deps.userApi(ctx).get<{ user: AccountUser }>('/auth/me');
    views.refused(ctx, 'account', { title: 'Your account', account: user, form }, error, fields);
  };
  const done = (ctx: Context, message: string) => {
    consoleSession(ctx).flash = message;
    ctx.redirect('/account');
  };

  router.get('/account', async (ctx) => {
    if (requireSignIn(ctx)) await show(ctx);
  });

  /** One of the page's forms: the API call it makes, and on refusal the page again with that form's errors. */
  const form = (path: string, name: string, fields: string[], act: (ctx: Context) => Promise<void>) =>
    router.post(path, async (ctx) => {
      if (!requireSignIn(ctx)) return;
      try {
        await act(ctx);
      } catch (error) {
        await refusedOn(ctx, name, error, fields);
      }
    });

  form('/account/profile', 'profile', PROFILE_FIELDS, async (ctx) => {
    const middle = field(ctx, 'middle_name');
    await deps.userApi(ctx).call('PATCH', '/auth/me', {
      first_name: field(ctx, 'first_name'),
      middle_name: middle === '' ? null : middle,
      last_name: field(ctx, 'last_name'),
    });
    done(ctx, 'Your profile is saved.');
  });

  form('/account/password', 'password', PASSWORD_FIELDS, async (ctx) => {
    await deps
      .userApi(ctx)
      .call('PUT', '/auth/password', Object.fromEntries(PASSWORD_FIELDS.map((name) => [name, secretField(ctx, name)])));
    done(ctx, 'Your password is changed. Your other sessions were signed out.');
  });

  form('/account/email', 'email', ['new_email'], async (ctx) => {
    await deps.userApi(ctx).call('POST', '/auth/email/change', { new_email: field(ctx, 'new_email') });
    await show(ctx, { emailCodeSent: true });
  });

  form('/account/email/confirm', 'email-confirm', ['code'], async (ctx) => {
    await deps.userApi(ctx).call('POST', '/auth/email/change/confirm', { code: field(ctx, 'code') });
    done(ctx, 'Your e-mail address is changed.');
  });
}
