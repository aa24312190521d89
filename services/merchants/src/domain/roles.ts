/**
 * Who may do what on a merchant, written once. Routes name the action they need; the access
 * guard (http/access-guard.ts) and the member rules (memberships.ts) consult this table only.
 */
export const ROLES = ['owner', 'admin', 'developer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/*
 * The actions a merchant route can need. Those spelt like an API-key scope (SCOPES) are the ones
 * a key may do, when it holds that scope; the others are for members only.
 */
export const ACTIONS = [
  'merchant:read',
  'merchant:write',
  'members:read',
  'members:manage',
  'invitations:manage',
  'settings:manage',
  'api_keys:read',
  'api_keys:manage',
  'webhooks:manage',
  'events:read',
] as const;
export type Action = (typeof ACTIONS)[number];

export const PERMISSIONS: Record<Action, readonly Role[]> = {
  'merchant:read': ['owner', 'admin', 'developer', 'viewer'],
  'merchant:write': ['owner', 'admin'],
  'members:read': ['owner', 'admin', 'developer', 'viewer'],
  'members:manage': ['owner', 'admin'],
  'invitations:manage': ['owner', 'admin'],
  'settings:manage': ['owner'],
  'api_keys:read': ['owner', 'admin', 'developer'],
  'api_keys:manage': ['owner', 'admin'],
  'webhooks:manage': ['owner', 'admin'],
  'events:read': ['owner', 'admin'],
};

/** What a merchant API key may be granted (the contract's list); a key holds at least one. */
export const SCOPES = ['merchant:read', 'merchant:write', 'members:read', 'webhooks:manage', 'events:read'] as const;
export type Scope = (typeof SCOPES)[number];

/** The action a key may do, when it holds the scope of the same name. */
export const isScope = (action: string): action is Scope => (SCOPES as readonly string[]).includes(action);

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
