import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { ApiRouter } from '@merchant-platform/common/http/api-router';
import { requireUser } from '@merchant-platform/common/http/guards';
import { requireService } from '@merchant-platform/common/service-auth/service-guard';
import type { ServiceAuthenticator } from '@merchant-platform/common/service-auth/service-authenticator';
import type { AccessTokenVerifier } from '@merchant-platform/common/tokens/access-token';
import type { GoogleSignIn } from '../../domain/google-sign-in.js';
import type { Revocations } from '../../domain/revocations.js';
import type { AuthUseCases } from '../../domain/use-cases.js';
import { MfaRequiredError } from '../mfa-schemas.js';
import { TokenPairView, UserView } from '../../domain/views.js';
import { withSignInClient } from '../../domain/sign-in-client.js';
import { recent } from '../step-up-guard.js';
import { accountRoutes } from './account-routes.js';
import { adminRoutes } from './admin-routes.js';
import { dataRightsRoutes } from './data-rights-routes.js';
import { auditRoutes } from './audit-routes.js';
import { googleRoutes } from './google-routes.js';
import { internalRoutes } from './internal-routes.js';
import { mfaRoutes } from './mfa-routes.js';
import { emailChangeRoutes } from './email-change-routes.js';
import { passkeyRoutes } from './passkey-routes.js';
import { sessionRoutes } from './session-routes.js';
import { tokenRoutes } from './token-routes.js';

/** Every auth route, on one ApiRouter (routes and OpenAPI document from the same definitions). */
export function authRoutes(
  openapi: OpenAPIRegistry,
  uc: AuthUseCases,
  verifier: AccessTokenVerifier,
  google: GoogleSignIn,
  internal: { revocations: Revocations; services: ServiceAuthenticator },
): ApiRouter {
  const api = new ApiRouter(openapi);
  // Whichever route signs someone in records where from (GET /auth/sessions shows it).
  api.router.use((ctx, next) => withSignInClient({ ip: ctx.ip || null, userAgent: ctx.get('User-Agent').slice(0, 512) || null }, next));
  const userSchema = openapi.register('User', UserView);
  const pairSchema = openapi.register('TokenPair', TokenPairView);
  const user = requireUser(verifier);
  const guards = { user, recent: recent(user, uc.stepUp) };
  const mfaRequired = openapi.register('MfaRequiredError', MfaRequiredError);
  tokenRoutes(api, uc, pairSchema, mfaRequired);
  accountRoutes(api, uc, user, userSchema);
  adminRoutes(api, uc, user, userSchema);
  googleRoutes(api, google, pairSchema, mfaRequired);
  internalRoutes(api, internal.revocations, requireService(internal.services));
  passkeyRoutes(api, openapi, uc, guards, pairSchema);
  mfaRoutes(api, openapi, uc, guards, pairSchema);
  sessionRoutes(api, openapi, uc, user);
  emailChangeRoutes(api, uc, guards, userSchema);
  dataRightsRoutes(api, uc, guards);
  auditRoutes(api, openapi, uc, user);
  return api;
}
