import type { Context } from 'koa';
import type { Guard } from '@merchant-platform/common/http/api-router';
import { bearerToken, currentUser } from '@merchant-platform/common/http/guards';
import { insufficientScope, notFound } from '@merchant-platform/common/errors';
import { NO_CONTROL_CHARACTERS } from '@merchant-platform/common/text';
import type { MerchantAccess } from '../domain/access.js';
import { isApiKeySecret } from '../domain/api-key.js';
import type { MemberPrincipal, Principal } from '../domain/principal.js';
import { isScope, type Action } from '../domain/roles.js';

/** The OpenAPI security scheme of a merchant API key (registered in http/api-key-routes.ts). */
export const API_KEY_SCHEME = 'merchantApiKey';

declare module 'koa' {
  interface DefaultState {
    /** memberOf: who acts on the merchant of the path's `{id}` (read it with `currentPrincipal`). */
    principal?: Principal;
  }
}

export function currentPrincipal(ctx: Context): Principal {
  const principal = ctx.state.principal;
  if (!principal) throw notFound();
  return principal;
}

/** For the rules only a person can be the actor of (changing roles, leaving): a key gets 403 `insufficient_scope`. */
export function currentMember(ctx: Context): MemberPrincipal {
  const principal = currentPrincipal(ctx);
  if (principal.kind !== 'member') throw insufficientScope('Only a member can do this, not an API key.');
  return principal;
}

/**
 * The one guard of a merchant's team routes: a member of `{id}` whose role allows `action`
 * (domain/roles.ts), or, for `Bearer mpk_…` (recognised before any JWT is verified), one of the
 * merchant's API keys holding the scope named like `action`. Routes whose action is a scope
 * document the key as an alternative scheme.
 */
export function memberOf(user: Guard, access: MerchantAccess, action: Action): Guard {
  const keysMayUse = isScope(action);
  return {
    scheme: user.scheme,
    ...(keysMayUse ? { alternatives: [API_KEY_SCHEME] } : {}),
    errors: [...user.errors, 403, 404, ...(keysMayUse ? [429] : [])],
    middleware: async (ctx, next) => {
      const merchantId = String(ctx.params['id'] ?? '');
      const bearer = bearerToken(ctx);
      if (bearer !== undefined && isApiKeySecret(bearer)) {
        // A key names its own merchant: any other id, well-formed or not, is simply not found.
        ctx.state.principal = await access.resolveKey(merchantId, bearer, action);
        return next();
      }
      return user.middleware(ctx, async () => {
        ctx.state.principal = await access.resolve(knownShape(merchantId), currentUser(ctx), action);
        await next();
      });
    },
  };
}

/** Guards run before the path is validated; an id no merchant can have is simply unknown. */
function knownShape(merchantId: string): string {
  if (merchantId.length > 64 || !NO_CONTROL_CHARACTERS.test(merchantId)) throw notFound();
  return merchantId;
}

/** After `memberOf`: the route is *recent* (domain/access.ts, `assertRecent`); else 401 `step_up_required`. */
export function recent(access: MerchantAccess): Guard {
  return {
    scheme: 'bearer',
    errors: [401],
    middleware: async (ctx, next) => {
      access.assertRecent(currentUser(ctx));
      await next();
    },
  };
}
