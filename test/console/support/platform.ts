import type Koa from 'koa';
import { z } from 'zod';
import { createApp } from '@merchant-platform/common/http/app';
import { openDatabase, type Database } from '@merchant-platform/common/db/database';
import { createOpenApiRegistry } from '@merchant-platform/common/http/openapi';
import { createMetrics } from '@merchant-platform/common/metrics';
import { captureLogs } from '@merchant-platform/common/testing/log-capture';
import { eventually } from '@merchant-platform/common/testing/eventually';
import { freePort } from '@merchant-platform/common/testing/ports';
import { SesEmulator } from '@merchant-platform/common/testing/ses-emulator';
import { createTestDatabase, type TestDatabase } from '@merchant-platform/common/testing/test-database';
import { loadAuthConfig } from '@merchant-platform/auth/config';
import { SigningKeys } from '@merchant-platform/auth/domain/signing-keys';
import { loadEmailConfig } from '@merchant-platform/email/app';
import { consoleInFront } from '@merchant-platform/all-in-one/console-front';
import { GOOGLE_COMPLETION_PATH } from '@merchant-platform/console/pages/google-sign-in';
import { createPlatformModules, migrateAll } from '@merchant-platform/all-in-one/platform';
import { webhookEnvShape } from '@merchant-platform/merchants/webhooks-config';

export const ADMIN_EMAIL = 'admin@example.com';

/** The whole platform as all-in-one mode serves it (console in front, APIs in-process), on real loopback HTTP. */
export interface RunningPlatform {
  /** `http://localhost:<port>`: a secure context, so WebAuthn works over plain http. */
  base: string;
  ses: SesEmulator;
  /** The one database every service and console instance uses. */
  db: Database;
  /** The APIs' Koa app, for another console instance in front of the same platform. */
  apis: Koa;
  logs: () => string;
  /** The 6-digit code of the newest mail to `to` whose subject matches. */
  codeFor(to: string, subject: RegExp): Promise<string>;
  /** The text of the newest mail to `to` whose subject matches. */
  mailText(to: string, subject: RegExp): Promise<string>;
  stop(): Promise<void>;
}

export interface PlatformOptions {
  /** WEBHOOK_ALLOW_PRIVATE_TARGETS: lets webhooks point at a receiver on loopback, as tests need. */
  allowPrivateWebhooks?: boolean;
  /** RATE_LIMIT_INVITATIONS_PER_HOUR of merchants. */
  invitationRatePerHour?: number;
  /**
   * Google sign-in: called with the platform's callback URL (known once its port is), answers the
   * OpenID provider auth uses; the console then shows the button and auth allows its completion page.
   */
  google?: (redirectUri: string) => Promise<{ issuer: string; clientId: string; clientSecret: string }>;
}

export async function startPlatform(options: PlatformOptions = {}): Promise<RunningPlatform> {
  const ses = await SesEmulator.start();
  const testDb: TestDatabase = await createTestDatabase();
  const db: Database = await openDatabase(testDb.url);
  const captured = captureLogs();
  const context = { db, logger: captured.logger, metrics: createMetrics(), openapi: createOpenApiRegistry() };
  await migrateAll(context);
  const port = await freePort();
  const base = `http://localhost:${port}`;
  const google = await options.google?.(`${base}/auth/google/callback`);
  const googleEnv = google
    ? {
        GOOGLE_CLIENT_ID: google.clientId,
        GOOGLE_CLIENT_SECRET: google.clientSecret,
        GOOGLE_REDIRECT_URI: `${base}/auth/google/callback`,
        GOOGLE_ISSUER: google.issuer,
        AUTH_REDIRECT_ALLOWLIST: `${base}${GOOGLE_COMPLETION_PATH}`,
      }
    : {};
  const modules = createPlatformModules(context, {
    jwtPrivateKey: SigningKeys.generatePem(),
    // Invitation mails link back to this console.
    consoleUrl: base,
    invitationRatePerHour: options.invitationRatePerHour,
    auth: {
      ...loadAuthConfig({
        BCRYPT_COST: '10',
        ADMIN_EMAILS: ADMIN_EMAIL,
        WEBAUTHN_RP_ID: 'localhost',
        WEBAUTHN_ORIGINS: base,
        ...googleEnv,
      }),
      PASSWORD_PEPPER: 'a-test-pepper-of-at-least-32-characters',
      REVOCATION_POLL_INTERVAL_MS: 200,
    },
    email: loadEmailConfig({
      EMAIL_TRANSPORT: 'ses',
      SES_ENDPOINT: ses.endpoint,
      AWS_REGION: 'eu-west-1',
      SERVICE_TOKEN: 'console-test-service-token-0123456789',
      EMAIL_POLL_INTERVAL_MS: '50',
      EMAIL_SEND_RATE_PER_SECOND: '100',
    }),
    webhooks: {
      ...z.object(webhookEnvShape).parse({ WEBHOOK_POLL_INTERVAL_MS: '100' }),
      WEBHOOK_SECRET_KEY: 'console-test-webhook-secret-key-0123456789',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: options.allowPrivateWebhooks ?? false,
    },
  });
  const apis = createApp({
    title: 'test',
    version: 'test',
    modules,
    openapi: context.openapi,
    logger: context.logger,
    metrics: context.metrics,
    health: { draining: false },
    trustProxy: false,
    corsOrigins: [],
    session: { keys: ['console-test-session-key'], secure: false },
  });
  const app = consoleInFront(apis, context, {
    brand: { productName: 'Acme Merchants', logoUrl: undefined, accentColor: '#7a2e8c' },
    sessionKeys: ['console-test-session-key'],
    secureCookies: false,
    trustProxy: false,
    invitations: true,
    google: google !== undefined,
  });
  const server = app.listen(port, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  modules.forEach((m) => m.start?.());

  const mailText = (to: string, subject: RegExp) =>
    eventually(
      async () => (await ses.emailsTo(to)).findLast((m) => subject.test(m.subject))?.body.text || undefined,
      `a mail to ${to} matching ${subject}`,
    );

  return {
    base,
    ses,
    db,
    apis,
    logs: captured.text,
    mailText,
    codeFor: async (to, subject) => {
      const text = await mailText(to, subject);
      const code = /\b(\d{6})\b/.exec(text)?.[1];
      if (!code) throw new Error(`no 6-digit code in the mail to ${to}`);
      return code;
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all(modules.map((m) => m.stop?.()));
      await db.close();
      await ses.stop();
      await testDb.drop();
    },
  };
}
