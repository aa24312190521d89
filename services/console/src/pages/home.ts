import type { Router } from '@koa/router';
import { consoleSession } from '../http/console-session.js';
import type { PageDependencies } from './page-dependencies.js';

/** `/`: the account for someone signed in, sign-in for anyone else. */
export function homePage(router: Router, _deps: PageDependencies): void {
  router.get('/', (ctx) => ctx.redirect(consoleSession(ctx).tokens ? '/account' : '/sign-in'));
}
