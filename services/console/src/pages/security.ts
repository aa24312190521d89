import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { ApiError } from '../api-client/api-error.js';
import { consoleSession, type TotpEnrolment } from '../http/console-session.js';
import { field, jsonBody } from './form.js';
import type { PageDependencies } from './page-dependencies.js';
import { requireSignIn } from './signing-in.js';

interface Factor {
  id: string;
  type: 'totp' | 'passkey';
  name: string;
  created_at: string;
  last_used_at: string | null;
}

interface SessionItem {
  id: string;
  created_at: string;
  last_used_at: string | null;
  ip: string | null;
  user_agent: string | null;
  amr: string[];
  current: boolean;
}

/**
 * `/account/security`: second factors (an authenticator app with its QR code, passkeys),
 * recovery codes (shown once, to download), and the live sessions with a way to end each one.
 */
export function securityPage(router: Router, deps: PageDependencies): void {
  const { views } = deps;
  const title = 'Security';
  const back = (ctx: Context, message: string) => {
    consoleSession(ctx).flash = message;
    ctx.redirect('/account/security');
  };
  const qrImage = (svg: string) => `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
  const showEnrolment = (ctx: Context, enrolment: TotpEnrolment, error?: unknown) => {
    const data = { title: 'Set up an authenticator app', enrolment, qr: qrImage(enrolment.qr_svg) };
    if (error === undefined) views.render(ctx, 'totp-enrol', data);
    else views.refused(ctx, 'totp-enrol', data, error, ['code']);
  };
  const showCodes = (ctx: Context, codes: string[]) =>
    views.render(ctx, 'recovery-codes', {
      title: 'Your recovery codes',
      codes,
      download: `data:text/plain;charset=utf-8,${encodeURIComponent(`${codes.join('\n')}\n`)}`,
    });

  router.get('/account/security', async (ctx) => {
    if (!requireSignIn(ctx)) return;
    const api = deps.userApi(ctx);
    const [factors, sessions] = await Promise.all([
      api.get<{ items: Factor[] }>('/auth/mfa/factors'),
      api.get<{ items: SessionItem[] }>('/auth/sessions'),
    ]);
    views.render(ctx, 'security', { title, factors: factors.items, sessions: sessions.items });
  });

  router.post('/account/security/totp', async (ctx) => {
    if (!requireSignIn(ctx)) return;
    const enrolment = await deps
      .userApi(ctx)
      .call<TotpEnrolment>('POST', '/auth/mfa/totp', { name: field(ctx, 'name') || 'Authenticator app' });
    const kept = { factor_id: enrolment.factor_id, secret: enrolment.secret, otpauth_uri: enrolment.otpauth_uri, qr_svg: enrolment.qr_svg };
    consoleSession(ctx).totpEnrolment = kept;
    showEnrolment(ctx, kept);
  });

  router.post('/account/security/totp/confirm', async (ctx) => {
    if (!requireSignIn(ctx)) return;
    const enrolment = consoleSession(ctx).totpEnrolment;
    if (!enrolment) return back(ctx, 'Start the set-up again.');
    try {
      const confirmed = await deps
        .userApi(ctx)
        .call<{ recovery_codes?: string[] }>('POST', `/auth/mfa/totp/${encodeURIComponent(enrolment.factor_id)}/confirm`, {
          code: field(ctx, 'code'),
        });
      delete consoleSession(ctx).totpEnrolment;
      if (confirmed.recovery_codes) return showCodes(ctx, confirmed.recovery_codes);
      back(ctx, 'Your authenticator app is set up.');
    } catch (error) {
      showEnrolment(ctx, enrolment, error);
    }
  });

  router.post('/account/security/recovery-codes', async (ctx) => {
    if (!requireSignIn(ctx)) return;
    try {
      const { recovery_codes } = await deps.userApi(ctx).call<{ recovery_codes: string[] }>('POST', '/auth/mfa/recovery-codes');
      showCodes(ctx, recovery_codes);
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'conflict')) throw error;
      back(ctx, 'Set up an authenticator app or a passkey first; recovery codes back one up.');
    }
  });

  router.post('/account/security/factors/:id/delete', async (ctx) => {
    if (!requireSignIn(ctx)) return;
    await deps.userApi(ctx).call('DELETE', `/auth/mfa/factors/${encodeURIComponent(ctx.params.id ?? '')}`);
    back(ctx, 'The factor is removed.');
  });

  router.post('/account/security/sessions/:id/revoke', async (ctx) => {
    if (!requireSignIn(ctx)) return;
    await deps.userApi(ctx).call('DELETE', `/auth/sessions/${encodeURIComponent(ctx.params.id ?? '')}`);
    back(ctx, 'That session is signed out.');
  });

  // The passkey registration ceremony, called by static/passkeys.js with the CSRF header.
  router.post('/account/security/passkeys/options', async (ctx) => {
    if (!requireSignIn(ctx)) return;
    ctx.body = await deps.userApi(ctx).call('POST', '/auth/passkeys/registration/options');
  });

  router.post('/account/security/passkeys', async (ctx) => {
    if (!requireSignIn(ctx)) return;
    const body = jsonBody(ctx);
    const name = typeof body.name === 'string' && body.name.trim() ? body.name.trim() : 'Passkey';
    try {
      await deps.userApi(ctx).call('POST', '/auth/passkeys/registration', { name, response: body.response });
      consoleSession(ctx).flash = 'Your passkey is added.';
      ctx.body = { next: '/account/security' };
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500 || error.signedOut) throw error;
      ctx.status = error.status;
      ctx.body = { message: error.message };
    }
  });
}
