/**
 * Who may do what on a merchant, written once. Routes name the action they need; the access
 * guard (http/access-guard.ts) and the member rules (memberships.ts) consult this table only.
 */
export const ROLES = ['owner', 'admin', 'developer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/*
 * The actions a merchant route can need. The first three are spelt like the API-key scopes of
 * the contract, so a key's scopes can later be checked against the same action names.
 */
export const ACTIONS = ['merchant:read', 'merchant:write', 'members:read', 'members:manage', 'settings:manage'] as const;
export type Action = (typeof ACTIONS)[number];

export const PERMISSIONS: Record<Action, readonly Role[]> = {
  'merchant:read': ['owner', 'admin', 'developer', 'viewer'],
  'merchant:write': ['owner', 'admin'],
  'members:read': ['owner', 'admin', 'developer', 'viewer'],
  'members:manage': ['owner', 'admin'],
  'settings:manage': ['owner'],
};

/** Whose membership a role may change or end: an owner anyone's, an admin only those below admin. */
const MANAGEABLE: Record<Role, readonly Role[]> = {
  owner: ROLES,
  admin: ['developer', 'viewer'],
  developer: [],
  viewer: [],
};

export const roleAllows = (role: Role, action: Action): boolean => PERMISSIONS[action].includes(role);

export const roleManages = (role: Role, other: Role): boolean => MANAGEABLE[role].includes(other);

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);
