import type { Action, Role, Scope } from './roles.js';
import { isScope, roleAllows } from './roles.js';

/** Who acts on a merchant: a member (a user with a role) or one of the merchant's API keys (with scopes). */
export interface MemberPrincipal {
  kind: 'member';
  merchantId: string;
  userId: string;
  role: Role;
}

export interface ApiKeyPrincipal {
  kind: 'api_key';
  merchantId: string;
  keyId: string;
  scopes: readonly Scope[];
}

export type Principal = MemberPrincipal | ApiKeyPrincipal;

/** A member by the permission table; a key when one of its scopes is the action itself. */
export function principalAllows(principal: Principal, action: Action): boolean {
  if (principal.kind === 'member') return roleAllows(principal.role, action);
  return isScope(action) && principal.scopes.includes(action);
}
