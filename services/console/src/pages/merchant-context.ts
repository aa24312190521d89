import type { Context } from 'koa';
import type { UserApi } from '../http/user-api.js';

export interface Merchant {
  id: string;
  business_name: string;
  business_type: string | null;
  phone: string | null;
  website: string | null;
  address: Record<string, string | null>;
  currency: string;
}

export type Role = 'owner' | 'admin' | 'developer' | 'viewer';

export interface MerchantMembership {
  merchant: Merchant;
  role: Role;
}

/** The merchants the person belongs to, and the one the page is about (`?merchant=`, else the first). */
export async function chosenMerchant(
  ctx: Context,
  api: UserApi,
): Promise<{ all: MerchantMembership[]; chosen: MerchantMembership | undefined }> {
  const { items } = await api.get<{ items: MerchantMembership[] }>('/merchants/mine');
  const wanted = typeof ctx.query.merchant === 'string' ? ctx.query.merchant : undefined;
  return { all: items, chosen: items.find((m) => m.merchant.id === wanted) ?? items[0] };
}

export const canManage = (role: Role | undefined) => role === 'owner' || role === 'admin';
