import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { ApiRouter } from '@merchant-platform/common/http/api-router';
import { requireUser } from '@merchant-platform/common/http/guards';
import { requireService } from '@merchant-platform/common/service-auth/service-guard';
import type { ServiceAuthenticator } from '@merchant-platform/common/service-auth/service-authenticator';
import type { AccessTokenVerifier } from '@merchant-platform/common/tokens/access-token';
import type { GoogleSignIn } from '../../domain/google-sign-in.js';
import type { Revocations } from '../../domain/revocations.js';
import type { AuthUseCases } from '../../domain/use-cases.js';
import { TokenPair, User } from '../schemas.js';
import { accountRoutes } from './account-routes.js';
import { adminRoutes } from './admin-routes.js';
import { googleRoutes } from './google-routes.js';
import { internalRoutes } from './internal-routes.js';
import { passkeyRoutes } from './passkey-routes.js';
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
  const userSchema = openapi.register('User', User);
  const pairSchema = openapi.register('TokenPair', TokenPair);
  const user = requireUser(verifier);
  tokenRoutes(api, uc, pairSchema);
  accountRoutes(api, uc, user, userSchema);
  adminRoutes(api, uc, user, userSchema);
  googleRoutes(api, google, pairSchema);
  internalRoutes(api, internal.revocations, requireService(internal.services));
  passkeyRoutes(api, openapi, uc, user, pairSchema);
  return api;
}
