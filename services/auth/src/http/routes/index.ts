import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { ApiRouter } from '@merchant-platform/common/http/api-router';
import { requireRole, requireUser } from '@merchant-platform/common/http/guards';
import type { AccessTokenVerifier } from '@merchant-platform/common/tokens/access-token';
import type { AuthUseCases } from '../../domain/use-cases.js';
import { User } from '../schemas.js';
import { accountRoutes } from './account-routes.js';
import { adminRoutes } from './admin-routes.js';
import { tokenRoutes } from './token-routes.js';

/** Every auth route, on one ApiRouter (routes and OpenAPI document from the same definitions). */
export function authRoutes(openapi: OpenAPIRegistry, uc: AuthUseCases, verifier: AccessTokenVerifier): ApiRouter {
  const api = new ApiRouter(openapi);
  const userSchema = openapi.register('User', User);
  tokenRoutes(api, openapi, uc);
  accountRoutes(api, uc, requireUser(verifier), userSchema);
  adminRoutes(api, uc, requireRole(verifier, 'admin'), userSchema);
  return api;
}
