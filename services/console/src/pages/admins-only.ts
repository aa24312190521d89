import type { Context } from 'koa';
import { consoleSession } from '../http/console-session.js';
import type { Views } from '../http/views.js';

/** Answers 403 unless the signed-in person is an admin; true when the page may go on. */
export function requireAdmin(ctx: Context, views: Views): boolean {
  if (consoleSession(ctx).user?.roles.includes('admin')) return true;
  views.render(ctx, 'error', { title: 'Admins only', message: 'This page is for administrators.' }, 403);
  return false;
}
