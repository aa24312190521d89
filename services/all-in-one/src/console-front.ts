import type Koa from 'koa';
import type { ModuleContext } from '@merchant-platform/common/service-runtime';
import { ApiClient } from '@merchant-platform/console/api-client/api-client';
import { inProcessTransport } from '@merchant-platform/console/api-client/transport';
import { createConsoleApp } from '@merchant-platform/console/app';
import type { Brand } from '@merchant-platform/console/brand';

export interface ConsoleFrontOptions {
  brand: Brand;
  sessionKeys: string[];
  secureCookies: boolean;
  trustProxy: boolean;
  invitations: boolean;
  /** Google sign-in is configured in auth: the sign-in page offers it. */
  google: boolean;
}

/**
 * The console in front of every API on one port: its pages answer their own paths, and both its
 * API calls (in-process, no socket) and every other path go to the APIs' app.
 */
export function consoleInFront(apis: Koa, context: Pick<ModuleContext, 'db' | 'logger'>, options: ConsoleFrontOptions): Koa {
  const handler = apis.callback();
  return createConsoleApp({
    api: new ApiClient(inProcessTransport(handler)),
    db: context.db,
    logger: context.logger,
    brand: options.brand,
    features: { invitations: options.invitations, google: options.google },
    sessionKeys: options.sessionKeys,
    secureCookies: options.secureCookies,
    trustProxy: options.trustProxy,
    fallthrough: handler,
  });
}
