import type { AccessTokenClaims } from '@merchant-platform/common/tokens/access-token';
import type { Membership } from './membership.js';
import type { Merchant } from './merchant.js';
import type { MembershipView, MerchantView, PublicMerchantView, TokenUserView } from './views.js';

// Presenters copy fields one by one: a new column never leaks into a response by accident.

export function presentMerchant(m: Merchant): MerchantView {
  return {
    id: m.id,
    user_id: m.user_id,
    business_name: m.business_name,
    business_type: m.business_type,
    phone: m.phone,
    website: m.website,
    address: {
      line1: m.address.line1,
      line2: m.address.line2,
      city: m.address.city,
      region: m.address.region,
      postal_code: m.address.postal_code,
      country: m.address.country,
    },
    currency: m.currency,
    created_at: m.created_at.toISOString(),
    updated_at: m.updated_at.toISOString(),
  };
}

export function presentPublicMerchant(m: Merchant): PublicMerchantView {
  return {
    id: m.id,
    business_name: m.business_name,
    business_type: m.business_type,
    website: m.website,
    country: m.address.country,
  };
}

export function presentTokenUser(claims: AccessTokenClaims): TokenUserView {
  return {
    id: claims.sub,
    email: claims.email,
    name: claims.name,
    email_verified: claims.email_verified,
    roles: [...claims.roles],
    auth_method: claims.auth_method,
  };
}

export function presentMembership(m: Membership): MembershipView {
  return {
    merchant_id: m.merchant_id,
    user_id: m.user_id,
    email: m.email,
    name: m.name,
    role: m.role,
    joined_at: m.joined_at.toISOString(),
  };
}
