import type { Context } from 'koa';
import { ApiError } from '../api-client/api-error.js';
import { formErrorsFrom, type FormErrors } from '../http/field-errors.js';
import type { UserApi } from '../http/user-api.js';
import { field } from './form.js';
import { canManage, type MerchantMembership, type Role } from './merchant-context.js';

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  status: 'pending' | 'accepted' | 'revoked' | 'expired';
  expires_at: string;
  created_at: string;
}

/** The invite form's state on the business page: what was typed and what the API said. */
export interface InviteForm {
  /** The roles offered: a hint only, the API decides (an admin invites developers and viewers). */
  roles: Role[];
  values: { email?: string; role?: string };
  errors: FormErrors;
}

const invitationsPath = (merchantId: string) => `/merchants/${encodeURIComponent(merchantId)}/invitations`;

/** The team's invitations and an empty invite form, for owners and admins only (undefined otherwise). */
export async function invitationsSection(
  api: UserApi,
  chosen: MerchantMembership | undefined,
  enabled: boolean,
): Promise<{ items: Invitation[]; form: InviteForm } | undefined> {
  if (!enabled || !chosen || !canManage(chosen.role)) return undefined;
  const { items } = await api.get<{ items: Invitation[] }>(invitationsPath(chosen.merchant.id));
  return { items, form: { roles: invitableRoles(chosen.role), values: { role: 'developer' }, errors: { fields: {}, status: 200 } } };
}

const invitableRoles = (role: Role): Role[] => (role === 'owner' ? ['owner', 'admin', 'developer', 'viewer'] : ['developer', 'viewer']);

/** Sends the invitation; answers the address it went to. */
export async function invite(ctx: Context, api: UserApi, merchantId: string): Promise<string> {
  const email = field(ctx, 'email');
  await api.call('POST', invitationsPath(merchantId), { email, role: field(ctx, 'role') });
  return email;
}

export function revoke(ctx: Context, api: UserApi, merchantId: string): Promise<unknown> {
  return api.call('DELETE', `${invitationsPath(merchantId)}/${encodeURIComponent(ctx.params.invitationId ?? '')}`);
}

/**
 * The API's refusal of an invitation, placed on the form: a 409 (already a member, already
 * invited) is about the address, so it sits beside the e-mail field; 422 details go beside their
 * fields; a 429 says when to try again. A step-up or an ended session is not the form's to show.
 */
export function refusedInvite(ctx: Context, error: unknown): Pick<InviteForm, 'values' | 'errors'> {
  if (error instanceof ApiError && error.code === 'step_up_required') throw error;
  const placed =
    error instanceof ApiError && error.status === 409
      ? new ApiError(409, error.code, error.message, [{ path: 'email', message: error.message }])
      : error;
  return { values: { email: field(ctx, 'email'), role: field(ctx, 'role') }, errors: formErrorsFrom(placed, ['email', 'role']) };
}
