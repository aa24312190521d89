import type { Action, Role } from './roles.js';
import { roleAllows } from './roles.js';

/**
 * Who acts on a merchant. Today only a member (a user with a role); an API key with scopes will
 * be a second kind, answering `allows` from its scopes, so routes and rules need not change.
 */
export interface MemberPrincipal {
  kind: 'member';
  merchantId: string;
  userId: string;
  role: Role;
}

export type Principal = MemberPrincipal;

export function principalAllows(principal: Principal, action: Action): boolean {
  return roleAllows(principal.role, action);
}
