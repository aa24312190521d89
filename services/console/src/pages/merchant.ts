import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { ApiError } from '../api-client/api-error.js';
import { consoleSession } from '../http/console-session.js';
import { field, filled } from './form.js';
import { chosenMerchant, type MerchantMembership } from './merchant-context.js';
import { invitationsSection, invite, refusedInvite, revoke } from './merchant-invitations.js';
import type { PageDependencies } from './page-dependencies.js';
import { requireSignIn } from './signing-in.js';

interface Member {
  user_id: string;
  email: string;
  name: string;
  role: string;
  joined_at: string;
}

const ADDRESS_FIELDS = ['line1', 'line2', 'city', 'region', 'postal_code', 'country'];
const PROFILE_FIELDS = [
  'business_name',
  'business_type',
  'phone',
  'website',
  'currency',
  ...ADDRESS_FIELDS.map((name) => `address_${name}`),
];

/** The profile form as the API wants it: blank optional fields left out, the address nested. */
function profileFrom(ctx: Context): Record<string, unknown> {
  return {
    ...filled({
      business_name: field(ctx, 'business_name'),
      business_type: field(ctx, 'business_type'),
      phone: field(ctx, 'phone'),
      website: field(ctx, 'website'),
      currency: field(ctx, 'currency').toUpperCase(),
    }),
    address: filled(
      Object.fromEntries(
        ADDRESS_FIELDS.map((name) => [
          name,
          name === 'country' ? field(ctx, `address_${name}`).toUpperCase() : field(ctx, `address_${name}`),
        ]),
      ),
    ),
  };
}

/** The form's values flattened back to its field names (`address_city`: form parsers read dots as nesting), to show them again after a refusal. */
const flatValues = (profile: Record<string, unknown>) => {
  const { address, ...rest } = profile as { address: Record<string, string> };
  return { ...rest, ...Object.fromEntries(Object.entries(address).map(([k, v]) => [`address_${k}`, v])) };
};

/**
 * `/merchant`: the business profile (created on first save, which makes the person its owner),
 * the team with roles, and the require-two-step-sign-in setting.
 */
export function merchantPage(router: Router, deps: PageDependencies): void {
  const { views } = deps;
  const title = 'Your business';

  const pageData = async (ctx: Context, chosen: MerchantMembership | undefined, all: MerchantMembership[]) => {
    const members = chosen
      ? (await deps.userApi(ctx).get<{ items: Member[] }>(`/merchants/${encodeURIComponent(chosen.merchant.id)}/members`)).items
      : [];
    const merchant = chosen?.merchant;
    const values = merchant ? flatValues({ ...merchant, address: merchant.address }) : {};
    const invitations = await invitationsSection(deps.userApi(ctx), chosen, deps.features.invitations);
    return { title, all, chosen, members, values, invitations };
  };
  const back = (ctx: Context, merchantId: string, message: string) => {
    consoleSession(ctx).flash = message;
    ctx.redirect(`/merchant?merchant=${encodeURIComponent(merchantId)}`);
  };

  router.get('/merchant', async (ctx) => {
    if (!requireSignIn(ctx)) return;
    const { all, chosen } = await chosenMerchant(ctx, deps.userApi(ctx));
    views.render(ctx, 'merchant', await pageData(ctx, chosen, all));
  });

  router.post('/merchant/profile', async (ctx) => {
    if (!requireSignIn(ctx)) return;
    const api = deps.userApi(ctx);
    const profile = profileFrom(ctx);
    const id = field(ctx, 'merchant_id');
    try {
      // No id: the first save creates the person's own merchant (PUT /merchants/me makes them its owner).
      const path = id ? `/merchants/${encodeURIComponent(id)}/profile` : '/merchants/me';
      const { merchant } = await api.call<{ merchant: { id: string } }>('PUT', path, profile);
      back(ctx, merchant.id, 'The business profile is saved.');
    } catch (error) {
      const { all, chosen } = await chosenMerchant(ctx, api);
      views.refused(ctx, 'merchant', { ...(await pageData(ctx, chosen, all)), values: flatValues(profile) }, error, PROFILE_FIELDS);
    }
  });

  /**
   * A team action: done, or refused by the API (the last owner, a role above yours) with its
   * message shown on the page. A session that ended or a step-up still goes to sign-in.
   */
  const teamAction = (path: string, act: (ctx: Context, id: string) => Promise<string>) =>
    router.post(path, async (ctx) => {
      if (!requireSignIn(ctx)) return;
      const id = ctx.params.id ?? '';
      try {
        back(ctx, id, await act(ctx, id));
      } catch (error) {
        if (!(error instanceof ApiError) || error.status >= 500 || error.signedOut || error.code === 'step_up_required') throw error;
        back(ctx, id, error.message);
      }
    });
  const memberPath = (ctx: Context, id: string) =>
    `/merchants/${encodeURIComponent(id)}/members/${encodeURIComponent(ctx.params.userId ?? '')}`;

  teamAction('/merchant/:id/members/:userId/role', async (ctx, id) => {
    await deps.userApi(ctx).call('PATCH', memberPath(ctx, id), { role: field(ctx, 'role') });
    return 'The role is changed.';
  });

  teamAction('/merchant/:id/members/:userId/remove', async (ctx, id) => {
    await deps.userApi(ctx).call('DELETE', memberPath(ctx, id));
    return 'The member is removed.';
  });

  teamAction('/merchant/:id/settings', async (ctx, id) => {
    const required = field(ctx, 'require_mfa') === 'true';
    await deps.userApi(ctx).call('PATCH', `/merchants/${encodeURIComponent(id)}/settings`, { require_mfa: required });
    return required ? 'Every member now needs two-step sign-in for this business.' : 'Two-step sign-in is no longer required.';
  });

  if (!deps.features.invitations) return;

  router.post('/merchant/:id/invitations', async (ctx) => {
    if (!requireSignIn(ctx)) return;
    const api = deps.userApi(ctx);
    const id = ctx.params.id ?? '';
    try {
      back(ctx, id, `An invitation is on its way to ${await invite(ctx, api, id)}.`);
    } catch (error) {
      const refused = refusedInvite(ctx, error);
      const { all } = await chosenMerchant(ctx, api);
      const data = await pageData(
        ctx,
        all.find((m) => m.merchant.id === id),
        all,
      );
      // Not an owner or admin of this business (any more): the error page says so.
      if (!data.invitations) throw error;
      data.invitations.form = { ...data.invitations.form, ...refused };
      views.render(ctx, 'merchant', data, refused.errors.status);
    }
  });

  teamAction('/merchant/:id/invitations/:invitationId/revoke', async (ctx, id) => {
    await revoke(ctx, deps.userApi(ctx), id);
    return 'The invitation is revoked: its link no longer works.';
  });
}
