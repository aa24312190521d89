import type { Router } from '@koa/router';
import { accountPage } from './account.js';
import { accountActivityPage } from './account-activity.js';
import { accountDeletePage } from './account-delete.js';
import { accountExportPage } from './account-export.js';
import { adminAuditPage } from './admin-audit.js';
import { adminUsersPage } from './admin-users.js';
import { apiKeysPage } from './api-keys.js';
import { googleSignInPages } from './google-sign-in.js';
import { homePage } from './home.js';
import { invitationAcceptPage } from './invitation-accept.js';
import { merchantPage } from './merchant.js';
import { passwordResetPages } from './password-reset.js';
import type { PageDependencies } from './page-dependencies.js';
import { secondFactorPage } from './second-factor.js';
import { securityPage } from './security.js';
import { signInPage } from './sign-in.js';
import { signOut } from './sign-out.js';
import { signUpPage } from './sign-up.js';
import { verifyEmailPage } from './verify-email.js';
import { webhooksPage } from './webhooks.js';

/** The console's paths; all-in-one mode sends every other path to the APIs. */
const CONSOLE_PREFIXES = [
  '/sign-up',
  '/verify-email',
  '/sign-in',
  '/sign-out',
  '/forgot-password',
  '/reset-password',
  '/account',
  '/merchant',
  '/admin',
  '/invitations',
  '/static',
];

export function isConsolePath(path: string): boolean {
  return path === '/' || CONSOLE_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

export function consolePages(router: Router, deps: PageDependencies): void {
  homePage(router, deps);
  signUpPage(router, deps);
  verifyEmailPage(router, deps);
  signInPage(router, deps);
  // Only where auth has Google configured: elsewhere these paths do not exist.
  if (deps.features.google) googleSignInPages(router, deps);
  secondFactorPage(router, deps);
  signOut(router, deps);
  passwordResetPages(router, deps);
  accountPage(router, deps);
  securityPage(router, deps);
  accountActivityPage(router, deps);
  accountExportPage(router, deps);
  accountDeletePage(router, deps);
  merchantPage(router, deps);
  apiKeysPage(router, deps);
  webhooksPage(router, deps);
  adminUsersPage(router, deps);
  adminAuditPage(router, deps);
  // Invitations are another engineer's API: the page is built to the contract, shown once it lands.
  if (deps.features.invitations) invitationAcceptPage(router, deps);
}
