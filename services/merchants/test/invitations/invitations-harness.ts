import { HttpEmailClient } from '@merchant-platform/common/email-client';
import { SchemaMigrator } from '@merchant-platform/common/db/migrations';
import { createOpenApiRegistry } from '@merchant-platform/common/http/openapi';
import { createMetrics } from '@merchant-platform/common/metrics';
import { eventually } from '@merchant-platform/common/testing/eventually';
import type { RunningServer } from '@merchant-platform/common/testing/http-server';
import { SesEmulator, type StoredEmail } from '@merchant-platform/common/testing/ses-emulator';
import { serveModules } from '@merchant-platform/common/testing/test-app';
import { createEmailModule, emailMigrations, loadEmailConfig, type EmailModule } from '@merchant-platform/email/app';
import type { InvitationMail } from '../../src/domain/invitation-mail.js';
import type { Role } from '../../src/domain/roles.js';
import type { InvitationView, MembershipView } from '../../src/domain/views.js';
import { teamsStage, type Person } from '../teams/teams-harness.js';

export type OneInvitation = { invitation: InvitationView };
export type InvitationList = { items: InvitationView[] };
export type Joined = { membership: MembershipView };

export const CONSOLE_URL = 'https://console.merchant-platform.test';
export const SERVICE_TOKEN = 'invitations-test-service-token-0123456789';

/** An email service that sends through the SES emulator at `sesEndpoint`, polling its outbox often, taking SERVICE_TOKEN. */
export const emailServiceEnv = (sesEndpoint: string) => ({
  SERVICE_TOKEN,
  EMAIL_TRANSPORT: 'ses',
  SES_ENDPOINT: sesEndpoint,
  AWS_REGION: 'us-east-1',
  EMAIL_FROM: 'no-reply@merchant-platform.test',
  EMAIL_POLL_INTERVAL_MS: '50',
});

/**
 * The merchants module (teamsStage) whose invitation mail goes, over real HTTP, to a real email
 * service, which renders it and sends it to the SES emulator: the tests read tokens from there,
 * as an invitee reads them from the inbox. Both share the test database and the captured log.
 */
export function invitationsStage(
  options: { invitationRatePerHour?: number; module?: NonNullable<Parameters<typeof teamsStage>[0]>['module'] } = {},
) {
  let ses: SesEmulator | undefined;
  let email: EmailModule | undefined;
  let emailServer: RunningServer | undefined;
  let handOver: ((mail: InvitationMail) => Promise<void>) | undefined;
  // Built before the email service is up; each send goes to it once it is.
  const mailer = { send: (mail: InvitationMail) => handOver!(mail) };
  const stage = teamsStage({
    invitations: { mailer, consoleUrl: CONSOLE_URL, invitationRatePerHour: options.invitationRatePerHour },
    module: options.module,
    beforeClose: async () => {
      await emailServer?.close();
      await email?.stop!();
      await ses?.stop();
    },
  });

  before(async function () {
    this.timeout(30_000);
    ses = await SesEmulator.start();
    await new SchemaMigrator(stage.db, 'email', emailMigrations).up();
    const openapi = createOpenApiRegistry();
    const metrics = createMetrics();
    email = createEmailModule({
      db: stage.db,
      logger: stage.logs.logger,
      openapi,
      metrics,
      config: loadEmailConfig({
        ...emailServiceEnv(ses.endpoint),
        EMAIL_RETRY_BASE_MS: '50',
        EMAIL_RETRY_MAX_MS: '200',
        EMAIL_SEND_RATE_PER_SECOND: '1000',
        SES_TIMEOUT_MS: '2000',
        EMAIL_LEASE_SECONDS: '10',
      }),
    });
    emailServer = await serveModules({ modules: [email], openapi, logger: stage.logs.logger, overrides: { metrics } });
    email.start!();
    const http = new HttpEmailClient({ baseUrl: emailServer.url, credential: { token: SERVICE_TOKEN } });
    handOver = (mail) => http.send(mail);
  });

  // Added onto the stage itself: its `db` is set only once the database exists.
  return Object.assign(stage, {
    ses: () => ses!,
    /** An invitation through the route, as an owner or admin makes it. */
    invite: (actor: Person, merchantId: string, address: string, role: Role) =>
      stage.call<OneInvitation>('POST', `/merchants/${merchantId}/invitations`, { token: actor.token(), json: { email: address, role } }),
    /** Waits for the invitation mail to `address` and reads its token, checking the link carries the same one. */
    async tokenFromInbox(address: string): Promise<string> {
      const mail = await eventually(async () => (await ses!.emailsTo(address)).at(-1), `the invitation mail to ${address}`);
      return tokenOf(mail);
    },
    accept: (invitee: Person, token: string, claims: Record<string, unknown> = {}) =>
      stage.call<Joined>('POST', '/merchants/invitations/accept', { token: invitee.token(claims), json: { token } }),
  });
}

/** The token of an invitation mail: its `Invitation token:` line, which must equal the link's `?token=`. */
export function tokenOf(mail: StoredEmail): string {
  const text = mail.body.text ?? '';
  const token = /^Invitation token: (\S+)$/m.exec(text)?.[1];
  const link = new RegExp(`${CONSOLE_URL.replace(/\./g, '\\.')}/invitations/accept\\?token=(\\S+)`).exec(text)?.[1];
  if (!token || token !== link) throw new Error(`the mail's token line and link disagree:\n${text}`);
  return token;
}
