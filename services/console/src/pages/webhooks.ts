import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { EVENT_TYPES } from '@merchant-platform/common/events/catalogue';
import { consoleSession } from '../http/console-session.js';
import { field, fieldValues, filled } from './form.js';
import { canManage, chosenMerchant } from './merchant-context.js';
import type { PageDependencies } from './page-dependencies.js';
import { listQuery, nextPageHref, type ListPage } from './paging.js';
import { readable } from './readable.js';
import { requireSignIn } from './signing-in.js';

interface Webhook {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  enabled: boolean;
  created_at: string;
}

interface Delivery {
  id: string;
  event_id: string;
  event_type: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  response_status: number | null;
  next_attempt_at: string | null;
  created_at: string;
  delivered_at: string | null;
}

const FORM_FIELDS = ['url', 'events', 'description'];

/**
 * `/merchant/webhooks`: a business's webhook endpoints (owners and admins, as the API allows):
 * create one (its `whsec_` secret shown once), delete it, send it a test, and read one
 * endpoint's deliveries with a retry button for each.
 */
export function webhooksPage(router: Router, deps: PageDependencies): void {
  const { views } = deps;
  const hooksPath = (merchantId: string, rest = '') => `/merchants/${encodeURIComponent(merchantId)}/webhooks${rest}`;
  const pagePath = (merchantId: string, rest = '') => `/merchant/webhooks${rest}?merchant=${encodeURIComponent(merchantId)}`;

  /** The business the page is about, when the person may manage its webhooks; else the page answers for itself. */
  const managed = async (ctx: Context) => {
    const { all, chosen } = await chosenMerchant(ctx, deps.userApi(ctx));
    if (!chosen) {
      consoleSession(ctx).flash = 'Create your business profile first.';
      ctx.redirect('/merchant');
      return undefined;
    }
    if (!canManage(chosen.role)) {
      views.render(ctx, 'error', { title: 'Owners and admins only', message: 'Only owners and admins manage webhooks.' }, 403);
      return undefined;
    }
    return { all, chosen };
  };

  const render = async (ctx: Context, extra: Record<string, unknown> = {}, error?: unknown) => {
    const business = await managed(ctx);
    if (!business) return;
    const { items } = await deps.userApi(ctx).get<{ items: Webhook[] }>(hooksPath(business.chosen.merchant.id));
    const data = { title: 'Webhooks', ...business, webhooks: items, eventTypes: EVENT_TYPES, ...extra };
    if (error === undefined) views.render(ctx, 'webhooks', data);
    else views.refused(ctx, 'webhooks', data, error, FORM_FIELDS);
  };

  /** Forms post the business's id; the page shown after them is that business's. */
  const postedMerchant = (ctx: Context) => {
    const merchantId = field(ctx, 'merchant_id');
    ctx.query = { merchant: merchantId };
    return merchantId;
  };
  const backTo = (ctx: Context, path: string, message: string) => {
    consoleSession(ctx).flash = message;
    ctx.redirect(path);
  };
  const hookId = (ctx: Context) => encodeURIComponent(ctx.params.webhookId ?? '');

  router.get('/merchant/webhooks', async (ctx) => {
    if (requireSignIn(ctx)) await render(ctx);
  });

  router.post('/merchant/webhooks', async (ctx) => {
    if (!requireSignIn(ctx)) return;
    const merchantId = postedMerchant(ctx);
    const values = { url: field(ctx, 'url'), description: field(ctx, 'description') };
    const ticked = fieldValues(ctx, 'events');
    // "All events" is the contract's `*`; ticking it with some types still means all of them.
    const events = ticked.includes('*') ? ['*'] : ticked;
    try {
      const created = await deps
        .userApi(ctx)
        .call<{ webhook: Webhook; secret: string }>('POST', hooksPath(merchantId), { ...filled(values), events });
      await render(ctx, { secret: created.secret, secretHook: created.webhook });
    } catch (error) {
      await render(ctx, { values: { ...values, events } }, error);
    }
  });

  router.post('/merchant/webhooks/:webhookId/delete', async (ctx) => {
    if (!requireSignIn(ctx)) return;
    const merchantId = postedMerchant(ctx);
    await deps.userApi(ctx).call('DELETE', hooksPath(merchantId, `/${hookId(ctx)}`));
    backTo(ctx, pagePath(merchantId), 'The endpoint is deleted with its delivery log; it receives no more events.');
  });

  router.post('/merchant/webhooks/:webhookId/test', async (ctx) => {
    if (!requireSignIn(ctx)) return;
    const merchantId = postedMerchant(ctx);
    await deps.userApi(ctx).call('POST', hooksPath(merchantId, `/${hookId(ctx)}/test`));
    backTo(ctx, pagePath(merchantId, `/${hookId(ctx)}/deliveries`), 'A test event is on its way to this endpoint.');
  });

  router.get('/merchant/webhooks/:webhookId/deliveries', async (ctx) => {
    if (!requireSignIn(ctx)) return;
    const business = await managed(ctx);
    if (!business) return;
    const api = deps.userApi(ctx);
    const merchantId = business.chosen.merchant.id;
    const { items } = await api.get<{ items: Webhook[] }>(hooksPath(merchantId));
    const webhook = items.find((hook) => hook.id === ctx.params.webhookId);
    if (!webhook)
      return views.render(ctx, 'error', { title: 'No such endpoint', message: 'This business has no such webhook endpoint.' }, 404);
    const listed = await api.get<ListPage<Delivery>>(hooksPath(merchantId, `/${hookId(ctx)}/deliveries?${listQuery(ctx)}`));
    views.render(ctx, 'webhook-deliveries', {
      title: 'Webhook deliveries',
      ...business,
      webhook,
      deliveries: listed.items,
      next: nextPageHref(ctx, listed.next_cursor),
      ...readable,
    });
  });

  router.post('/merchant/webhooks/:webhookId/deliveries/:deliveryId/retry', async (ctx) => {
    if (!requireSignIn(ctx)) return;
    const merchantId = postedMerchant(ctx);
    const deliveryId = encodeURIComponent(ctx.params.deliveryId ?? '');
    await deps.userApi(ctx).call('POST', hooksPath(merchantId, `/${hookId(ctx)}/deliveries/${deliveryId}/retry`));
    backTo(ctx, pagePath(merchantId, `/${hookId(ctx)}/deliveries`), 'The delivery is being attempted again now.');
  });
}
