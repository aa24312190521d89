import type { Context } from 'koa';
import type { Guard } from '@merchant-platform/common/http/api-router';
import { currentUser } from '@merchant-platform/common/http/guards';
import { notFound } from '@merchant-platform/common/errors';
import { NO_CONTROL_CHARACTERS } from '@merchant-platform/common/text';
import type { MerchantAccess } from '../domain/access.js';
import type { Principal } from '../domain/principal.js';
import type { Action } from '../domain/roles.js';

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

/** The one guard of a merchant's team routes: a member of `{id}` whose role allows `action` (domain/roles.ts). */
export function memberOf(user: Guard, access: MerchantAccess, action: Action): Guard {
  return {
    scheme: user.scheme,
    errors: [...user.errors, 403, 404],
    middleware: (ctx, next) =>
      user.middleware(ctx, async () => {
        const merchantId = String(ctx.params['id'] ?? '');
        // Guards run before the path is validated; an id no merchant can have is simply unknown.
        if (merchantId.length > 64 || !NO_CONTROL_CHARACTERS.test(merchantId)) throw notFound();
        ctx.state.principal = await access.resolve(merchantId, currentUser(ctx), action);
        await next();
      }),
  };
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
