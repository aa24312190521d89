import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { consoleSession } from '../http/console-session.js';
import { field, fieldValues } from './form.js';
import { canManage, chosenMerchant } from './merchant-context.js';
import type { PageDependencies } from './page-dependencies.js';
import { requireSignIn } from './signing-in.js';

interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** The scopes the contract defines, in the order the form lists them. */
const SCOPES = ['merchant:read', 'merchant:write', 'members:read', 'webhooks:manage', 'events:read'];

/**
 * `/merchant/api-keys`: the merchant's keys; create one (its secret shown once, with a copy
 * button), roll it (the old secret works through the grace period) or revoke it.
 */
export function apiKeysPage(router: Router, deps: PageDependencies): void {
  const { views } = deps;
  const title = 'API keys';

  const render = async (ctx: Context, extra: Record<string, unknown> = {}, error?: unknown) => {
    const api = deps.userApi(ctx);
    const { all, chosen } = await chosenMerchant(ctx, api);
    if (!chosen) {
      consoleSession(ctx).flash = 'Create your business profile first.';
      return ctx.redirect('/merchant');
    }
    const path = `/merchants/${encodeURIComponent(chosen.merchant.id)}/api-keys`;
    const keys = canManage(chosen.role) || chosen.role === 'developer' ? (await api.get<{ items: ApiKey[] }>(path)).items : [];
    const data = { title, all, chosen, keys, scopes: SCOPES, manage: canManage(chosen.role), ...extra };
    if (error === undefined) views.render(ctx, 'api-keys', data);
    else views.refused(ctx, 'api-keys', data, error, ['name', 'scopes']);
  };
  const keysPath = (id: string, rest = '') => `/merchants/${encodeURIComponent(id)}/api-keys${rest}`;

  router.get('/merchant/api-keys', async (ctx) => {
    if (requireSignIn(ctx)) await render(ctx);
  });

  router.post('/merchant/api-keys', async (ctx) => {
    if (!requireSignIn(ctx)) return;
    const merchantId = field(ctx, 'merchant_id');
    ctx.query = { merchant: merchantId };
    const name = field(ctx, 'name');
    try {
      const created = await deps
        .userApi(ctx)
        .call<{ api_key: ApiKey; secret: string }>('POST', keysPath(merchantId), { name, scopes: fieldValues(ctx, 'scopes') });
      await render(ctx, { secret: created.secret, secretKey: created.api_key });
    } catch (error) {
      await render(ctx, { values: { name } }, error);
    }
  });

  router.post('/merchant/api-keys/:keyId/roll', async (ctx) => {
    if (!requireSignIn(ctx)) return;
    const merchantId = field(ctx, 'merchant_id');
    ctx.query = { merchant: merchantId };
    const grace = Number(field(ctx, 'grace_seconds') || '0');
    const rolled = await deps
      .userApi(ctx)
      .call<{ api_key: ApiKey; secret: string }>('POST', keysPath(merchantId, `/${encodeURIComponent(ctx.params.keyId ?? '')}/roll`), {
        grace_seconds: grace,
      });
    await render(ctx, { secret: rolled.secret, secretKey: rolled.api_key });
  });

  router.post('/merchant/api-keys/:keyId/revoke', async (ctx) => {
    if (!requireSignIn(ctx)) return;
    const merchantId = field(ctx, 'merchant_id');
    await deps.userApi(ctx).call('DELETE', keysPath(merchantId, `/${encodeURIComponent(ctx.params.keyId ?? '')}`));
    consoleSession(ctx).flash = 'The key is revoked; it no longer works.';
    ctx.redirect(`/merchant/api-keys?merchant=${encodeURIComponent(merchantId)}`);
  });
}
