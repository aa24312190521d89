import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { consoleSession } from '../http/console-session.js';
import { requireAdmin } from './admins-only.js';
import { field } from './form.js';
import type { PageDependencies } from './page-dependencies.js';
import { requireSignIn } from './signing-in.js';

interface ListedUser {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  email_verified: boolean;
  roles: string[];
  created_at: string;
}

/** The API lists users by page without a search: the console reads up to this many pages to search. */
const SEARCH_PAGES = 10;

/** `/admin/users` (admins only): find a user by e-mail or name, disable or re-enable them, reset their second factors. */
export function adminUsersPage(router: Router, deps: PageDependencies): void {
  const { views } = deps;

  const back = (ctx: Context, message: string) => {
    consoleSession(ctx).flash = message;
    ctx.redirect(`/admin/users${typeof ctx.query.q === 'string' ? `?q=${encodeURIComponent(ctx.query.q)}` : ''}`);
  };

  router.get('/admin/users', async (ctx) => {
    if (!requireSignIn(ctx)) return;
    if (!requireAdmin(ctx, views)) return;
    const api = deps.userApi(ctx);
    const query = typeof ctx.query.q === 'string' ? ctx.query.q.trim().toLowerCase() : '';
    const users: ListedUser[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < (query ? SEARCH_PAGES : 1); page++) {
      const listed: { items: ListedUser[]; next_cursor: string | null } = await api.get(
        `/auth/users?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      users.push(...listed.items);
      cursor = listed.next_cursor;
      if (!cursor) break;
    }
    const matches = query ? users.filter((u) => `${u.email} ${u.first_name} ${u.last_name}`.toLowerCase().includes(query)) : users;
    views.render(ctx, 'admin-users', { title: 'Users', users: matches, query });
  });

  router.post('/admin/users/:id/disabled', async (ctx) => {
    if (!requireSignIn(ctx)) return;
    const disabled = field(ctx, 'disabled') === 'true';
    const { user } = await deps
      .userApi(ctx)
      .call<{ user: ListedUser }>('PATCH', `/auth/users/${encodeURIComponent(ctx.params.id ?? '')}`, { disabled });
    back(ctx, disabled ? `${user.email} is disabled and signed out everywhere.` : `${user.email} can sign in again.`);
  });

  router.post('/admin/users/:id/reset-mfa', async (ctx) => {
    if (!requireSignIn(ctx)) return;
    await deps.userApi(ctx).call('DELETE', `/auth/users/${encodeURIComponent(ctx.params.id ?? '')}/mfa`);
    back(ctx, 'Their second factors and recovery codes are removed; they sign in with their password alone until they set up new ones.');
  });
}
