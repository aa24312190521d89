import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { ApiRouter } from '@merchant-platform/common/http/api-router';
import { requireRole, requireUser } from '@merchant-platform/common/http/guards';
import type { AccessTokenVerifier } from '@merchant-platform/common/tokens/access-token';
import type { GoogleSignIn } from '../../domain/google-sign-in.js';
import type { AuthUseCases } from '../../domain/use-cases.js';
import { TokenPair, User } from '../schemas.js';
import { accountRoutes } from './account-routes.js';
import { adminRoutes } from './admin-routes.js';
import { googleRoutes } from './google-routes.js';
import { passkeyRoutes } from './passkey-routes.js';
import { tokenRoutes } from './token-routes.js';

/** Every auth route, on one ApiRouter (routes and OpenAPI document from the same definitions). */
export function authRoutes(openapi: OpenAPIRegistry, uc: AuthUseCases, verifier: AccessTokenVerifier, google: GoogleSignIn): ApiRouter {
  const api = new ApiRouter(openapi);
  const userSchema = openapi.register('User', User);
  tokenRoutes(api, openapi, uc);
  accountRoutes(api, uc, requireUser(verifier), userSchema);
  adminRoutes(api, uc, requireRole(verifier, 'admin'), userSchema);
  googleRoutes(api, google, openapi.register('TokenPair', TokenPair));
  passkeyRoutes(api, openapi, uc, requireUser(verifier), openapi.register('TokenPair', TokenPair));
  return api;
}
