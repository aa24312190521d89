/** What the pages show for an event type; a type added later shows as itself. */
const EVENT_LABELS: Record<string, string> = {
  'user.registered': 'Account created',
  'user.email_verified': 'E-mail address verified',
  'user.signed_in': 'Signed in',
  'user.sign_in_failed': 'Sign-in failed',
  'user.locked': 'Sign-in locked after failures',
  'user.password_changed': 'Password changed',
  'user.password_reset': 'Password reset by e-mail',
  'user.email_changed': 'E-mail address changed',
  'user.profile_updated': 'Profile updated',
  'user.disabled': 'Account disabled',
  'user.deleted': 'Account deleted',
  'mfa.enrolled': 'Second factor added',
  'mfa.removed': 'Second factor removed',
  'mfa.recovery_code_used': 'Recovery code used',
  'session.revoked': 'Session signed out',
  'merchant.created': 'Business created',
  'merchant.updated': 'Business updated',
  'member.invited': 'Member invited',
  'member.joined': 'Member joined',
  'member.role_changed': 'Member role changed',
  'member.removed': 'Member removed',
  'api_key.created': 'API key created',
  'api_key.rolled': 'API key rolled',
  'api_key.revoked': 'API key revoked',
  'webhook.test': 'Webhook test',
};

export const eventLabel = (type: string): string => EVENT_LABELS[type] ?? type;

/** `2026-12-01 10:00:05 UTC`: the API's RFC 3339 time, to the second. */
export const readableTime = (iso: string | null): string => (iso ? `${iso.slice(0, 19).replace('T', ' ')} UTC` : '');

const BROWSERS: [RegExp, string][] = [
  [/Edg\//, 'Edge'],
  [/Firefox\//, 'Firefox'],
  [/Chrom(e|ium)\//, 'Chrome'],
  [/Safari\//, 'Safari'],
  [/^curl\//, 'curl'],
];
const SYSTEMS: [RegExp, string][] = [
  [/Windows/, 'Windows'],
  [/iPhone|iPad/, 'iOS'],
  [/Mac OS X/, 'macOS'],
  [/Android/, 'Android'],
  [/Linux/, 'Linux'],
];

/** `Chrome on Linux` for a browser's long User-Agent; an agent not recognised is shown as sent. */
export function readableAgent(userAgent: string | null): string {
  if (!userAgent) return 'unknown';
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  if (!browser) return userAgent;
  return system ? `${browser} on ${system}` : browser;
}

/** What the views need to show events. */
export const readable = { eventLabel, readableTime, readableAgent };
