import { z } from 'zod';
import { listFromEnv, requireInProduction, type Condition } from '../config.js';

const SERVICE_ACCOUNT = /^system:serviceaccount:[a-z0-9]([-a-z0-9]*[a-z0-9])?:[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/;

/**
 * The variables of a service that other services call (email, auth's internal routes): how
 * callers prove they are one of ours. `audience` is this service's name, which callers'
 * projected ServiceAccount tokens are minted for.
 */
export function serviceAuthEnvShape(audience: string) {
  return {
    /** The shared secret, or Kubernetes TokenReview of the callers' projected tokens. */
    SERVICE_AUTH: z.enum(['token', 'kubernetes']).default('token'),
    SERVICE_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    SERVICE_AUTH_AUDIENCE: z.string().min(1).default(audience),
    SERVICE_AUTH_ALLOWED_SERVICE_ACCOUNTS: listFromEnv
      .pipe(z.array(z.string().regex(SERVICE_ACCOUNT, 'must be system:serviceaccount:<namespace>:<name>')))
      .default([]),
  };
}

export interface ServiceAuthSettings {
  SERVICE_AUTH: 'token' | 'kubernetes';
  SERVICE_TOKEN?: string | undefined;
  SERVICE_AUTH_AUDIENCE: string;
  SERVICE_AUTH_ALLOWED_SERVICE_ACCOUNTS: string[];
}

const inTokenMode: Condition<ServiceAuthSettings> = { holds: (config) => config.SERVICE_AUTH === 'token', described: 'SERVICE_AUTH=token' };

/** Rules across the variables above; every service (and all-in-one mode) that reads them applies this. */
export function checkServiceAuthConfig(config: ServiceAuthSettings & { NODE_ENV: string }, ctx: z.RefinementCtx): void {
  requireInProduction<ServiceAuthSettings & { NODE_ENV: string }>(['SERVICE_TOKEN'], inTokenMode)(config, ctx);
  if (config.SERVICE_AUTH === 'kubernetes' && config.SERVICE_AUTH_ALLOWED_SERVICE_ACCOUNTS.length === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['SERVICE_AUTH_ALLOWED_SERVICE_ACCOUNTS'],
      message: 'must list at least one ServiceAccount when SERVICE_AUTH=kubernetes',
    });
  }
}

/** Settings a module was given (possibly none: tests, all-in-one), completed with the defaults `serviceAuthEnvShape` applies. */
export function serviceAuthWithDefaults(settings: Partial<ServiceAuthSettings>, audience: string): ServiceAuthSettings {
  return {
    SERVICE_AUTH: settings.SERVICE_AUTH ?? 'token',
    SERVICE_TOKEN: settings.SERVICE_TOKEN,
    SERVICE_AUTH_AUDIENCE: settings.SERVICE_AUTH_AUDIENCE ?? audience,
    SERVICE_AUTH_ALLOWED_SERVICE_ACCOUNTS: settings.SERVICE_AUTH_ALLOWED_SERVICE_ACCOUNTS ?? [],
  };
}
