import { z } from 'zod';

const FactorType = z.enum(['totp', 'passkey']);
const Role = z.enum(['owner', 'admin', 'developer', 'viewer']);
const SignInMethod = z.enum(['password', 'google', 'passkey']);

/**
 * Every event type and the only fields its `data` may hold. A recorder parses `data` through
 * its type's schema, so a field not listed here (a password, a code, a request body) is dropped
 * before anything is written. `personal` lists the fields erased when the user is deleted.
 */
export const EVENT_CATALOGUE = {
  'user.registered': { data: z.object({ email: z.string().nullable(), method: SignInMethod }), personal: ['email'] },
  'user.email_verified': { data: z.object({}), personal: [] },
  'user.signed_in': { data: z.object({ method: SignInMethod }), personal: [] },
  'user.sign_in_failed': { data: z.object({ method: SignInMethod, reason: z.enum(['invalid_credentials', 'locked']) }), personal: [] },
  'user.locked': { data: z.object({ until: z.string().nullable() }), personal: [] },
  'user.password_changed': { data: z.object({}), personal: [] },
  'user.password_reset': { data: z.object({}), personal: [] },
  'user.email_changed': {
    data: z.object({ old_email: z.string().nullable(), new_email: z.string().nullable() }),
    personal: ['old_email', 'new_email'],
  },
  'user.profile_updated': { data: z.object({ name: z.string().nullable() }), personal: ['name'] },
  'user.disabled': { data: z.object({}), personal: [] },
  'user.deleted': { data: z.object({}), personal: [] },
  'mfa.enrolled': { data: z.object({ factor_type: FactorType }), personal: [] },
  'mfa.removed': { data: z.object({ factor_type: FactorType.nullable() }), personal: [] },
  'mfa.recovery_code_used': { data: z.object({}), personal: [] },
  'session.revoked': { data: z.object({ session_id: z.string().nullable(), reason: z.string().max(40) }), personal: [] },
  'merchant.created': { data: z.object({ name: z.string().nullable() }), personal: [] },
  'merchant.updated': { data: z.object({ fields: z.array(z.string().max(64)) }), personal: [] },
  'member.invited': { data: z.object({ email: z.string().nullable(), role: Role }), personal: ['email'] },
  'member.joined': { data: z.object({ user_id: z.string(), role: Role }), personal: [] },
  'member.role_changed': { data: z.object({ user_id: z.string(), from: Role, to: Role }), personal: [] },
  'member.removed': { data: z.object({ user_id: z.string(), role: Role, left: z.boolean() }), personal: [] },
  'api_key.created': { data: z.object({ name: z.string(), prefix: z.string(), scopes: z.array(z.string()) }), personal: [] },
  'api_key.rolled': {
    data: z.object({ name: z.string(), prefix: z.string(), replaced_key_id: z.string(), grace_seconds: z.number().int() }),
    personal: [],
  },
  'api_key.revoked': { data: z.object({ name: z.string(), prefix: z.string() }), personal: [] },
  // The endpoint under test: the webhooks fan-out sends this type to it alone.
  'webhook.test': { data: z.object({ webhook_id: z.string() }), personal: [] },
  // An endpoint failing for 3 days was disabled (actor: system); never its secret.
  'webhook.disabled': { data: z.object({ webhook_id: z.string(), url: z.string() }), personal: [] },
} as const satisfies Record<string, { data: z.ZodObject; personal: readonly string[] }>;

export type EventType = keyof typeof EVENT_CATALOGUE;
export const EVENT_TYPES = Object.keys(EVENT_CATALOGUE) as [EventType, ...EventType[]];
export type EventData<T extends EventType> = z.input<(typeof EVENT_CATALOGUE)[T]['data']>;

/** The allow-listed copy of `data`: unknown fields go, listed ones are checked. */
export function allowListedData(type: EventType, data: unknown): Record<string, unknown> {
  return EVENT_CATALOGUE[type].data.parse(data) as Record<string, unknown>;
}

/** The stored copy of `data` once its user is gone: personal fields become null, the rest stays. */
export function withoutPersonalData(type: EventType, data: Record<string, unknown>): Record<string, unknown> {
  const personal: readonly string[] = EVENT_CATALOGUE[type].personal;
  return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, personal.includes(key) ? null : value]));
}
