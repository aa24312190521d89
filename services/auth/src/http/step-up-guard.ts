import type { Middleware } from 'koa';
import type { Guard } from '@merchant-platform/common/http/api-router';
import { currentUser } from '@merchant-platform/common/http/guards';
import type { StepUp } from '../domain/step-up.js';

/** The guards routes of a signed-in user choose from: any bearer token, or one from a recent sign-in. */
export interface UserGuards {
  user: Guard;
  recent: Guard;
}

/** A bearer token from a recent sign-in (domain/step-up.ts); else 401 `step_up_required`. */
export function recent(user: Guard, stepUp: StepUp): Guard {
  const middleware: Middleware = (ctx, next) =>
    user.middleware(ctx, async () => {
      await stepUp.assertRecent(currentUser(ctx));
      await next();
    });
  return { middleware, scheme: user.scheme, errors: user.errors };
}
