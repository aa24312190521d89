import { z } from 'zod';
import { listFromEnv, requireInProduction } from '@merchant-platform/common/config';

/** The WebAuthn relying party: who passkeys are bound to (RP id) and where browsers may use them. */
export const webAuthnEnvShape = {
  /** A registrable domain (`example.com`), no scheme or port; passkeys are bound to it for good. */
  WEBAUTHN_RP_ID: z.string().optional(),
  /** Comma-separated origins (`https://app.example.com`) whose pages may create and use passkeys. */
  WEBAUTHN_ORIGINS: listFromEnv.optional(),
  WEBAUTHN_RP_NAME: z.string().min(1).max(100).default('Merchant Platform'),
};

interface WebAuthnEnv {
  NODE_ENV: string;
  PORT: number;
  WEBAUTHN_RP_ID?: string | undefined;
  WEBAUTHN_ORIGINS?: string[] | undefined;
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * Required in production; elsewhere they default to `localhost` and `http://localhost:<PORT>`.
 * Every origin must be an exact origin on the RP id or a subdomain of it (browsers refuse any
 * other pairing, so a mismatch would only surface as passkeys that never work), and https in
 * production except for localhost.
 */
export function webAuthnIsValid(config: WebAuthnEnv, ctx: z.RefinementCtx): void {
  requireInProduction<WebAuthnEnv>(['WEBAUTHN_RP_ID', 'WEBAUTHN_ORIGINS'])(config, ctx);
  const { rpId, origins } = webAuthnRelyingParty(config);
  if (!DOMAIN.test(rpId)) {
    ctx.addIssue({ code: 'custom', path: ['WEBAUTHN_RP_ID'], message: 'must be a lower-case domain name without scheme, port or path' });
    return;
  }
  if (origins.length === 0) ctx.addIssue({ code: 'custom', path: ['WEBAUTHN_ORIGINS'], message: 'must list at least one origin' });
  origins.forEach((origin, index) => {
    const problem = originProblem(origin, rpId, config.NODE_ENV === 'production');
    if (problem) ctx.addIssue({ code: 'custom', path: ['WEBAUTHN_ORIGINS', index], message: problem });
  });
}

function originProblem(origin: string, rpId: string, production: boolean): string | undefined {
  const url = URL.canParse(origin) ? new URL(origin) : undefined;
  if (!url || !['http:', 'https:'].includes(url.protocol) || url.origin !== origin) {
    return 'must be an absolute http(s) origin such as https://app.example.com (no path, no trailing slash)';
  }
  if (url.hostname !== rpId && !url.hostname.endsWith(`.${rpId}`)) return `must be on ${rpId} or a subdomain of it (WEBAUTHN_RP_ID)`;
  if (production && url.protocol !== 'https:' && url.hostname !== 'localhost')
    return 'must be https when NODE_ENV=production (except localhost)';
  return undefined;
}

/** The relying party with development defaults filled in. */
function webAuthnRelyingParty(config: WebAuthnEnv): { rpId: string; origins: string[] } {
  return {
    rpId: config.WEBAUTHN_RP_ID ?? 'localhost',
    origins: config.WEBAUTHN_ORIGINS ?? [`http://localhost:${config.PORT}`],
  };
}

/** For the config schemas' transform: the variables as the service uses them, defaults applied. */
export function withWebAuthnDefaults<T extends WebAuthnEnv>(config: T): T & { WEBAUTHN_RP_ID: string; WEBAUTHN_ORIGINS: string[] } {
  const { rpId, origins } = webAuthnRelyingParty(config);
  return { ...config, WEBAUTHN_RP_ID: rpId, WEBAUTHN_ORIGINS: origins };
}
