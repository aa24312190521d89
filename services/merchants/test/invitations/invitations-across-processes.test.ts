import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { freePort } from '@merchant-platform/common/testing/ports';
import { request } from '@merchant-platform/common/testing/http-server';
import { spawnReadyService } from '@merchant-platform/common/testing/processes';
import { SesEmulator } from '@merchant-platform/common/testing/ses-emulator';
import { NEEDS_MYSQL, skipBecause } from '@merchant-platform/common/testing/skip';
import { createTestDatabase, type TestDatabase } from '@merchant-platform/common/testing/test-database';
import { createTestTokens } from '@merchant-platform/common/testing/test-tokens';
import { eventually } from '@merchant-platform/common/testing/eventually';
import { migrate, serveJwks, type RunningService } from '../separate-processes.js';
import { profile } from '../teams/teams-harness.js';
import { CONSOLE_URL, emailServiceEnv, SERVICE_TOKEN, tokenOf } from './invitations-harness.js';

const INVITATIONS_PER_HOUR = 3;
/** Three processes start on a shared 2-core machine: more than the kit's 20 s default may pass. */
const STARTUP_MS = 60_000;

/**
 * Two merchants processes as replicas on one MySQL database, each started by its own main.ts
 * and mailing through a separate email service process into the SES emulator: a merchant's
 * invitation limit and a token's single use must hold across the replicas.
 */
describe('merchant invitations across two merchants processes', function () {
  this.timeout(240_000);
  const tokens = createTestTokens();
  let testDb: TestDatabase | undefined;
  let jwks: Server | undefined;
  let ses: SesEmulator | undefined;
  const processes: RunningService[] = [];
  const replicas: RunningService[] = [];

  before(async function () {
    if (!process.env.DATABASE_URL?.startsWith('mysql')) skipBecause(this, NEEDS_MYSQL);
    testDb = await createTestDatabase();
    await migrate('merchants', testDb.url);
    await migrate('email', testDb.url);
    ses = await SesEmulator.start();
    const published = await serveJwks(tokens);
    jwks = published.server;
    const email = await spawnReadyService(
      ['services/email/src/main.ts'],
      {
        DATABASE_URL: testDb.url,
        ...emailServiceEnv(ses.endpoint),
        // The emulator's dummy credentials (the test setup's), as the email service's own process tests pass them.
        AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID!,
        AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY!,
        LOG_LEVEL: 'info',
      },
      await freePort(),
      { timeoutMs: STARTUP_MS },
    );
    processes.push(email);
    for (let i = 0; i < 2; i++) {
      const env = {
        DATABASE_URL: testDb.url,
        JWKS_URL: published.url,
        EMAIL_SERVICE_URL: email.base,
        SERVICE_TOKEN,
        CONSOLE_URL,
        RATE_LIMIT_INVITATIONS_PER_HOUR: String(INVITATIONS_PER_HOUR),
        LOG_LEVEL: 'info',
      };
      const replica = await spawnReadyService(['services/merchants/src/main.ts'], env, await freePort(), { timeoutMs: STARTUP_MS });
      replicas.push(replica);
      processes.push(replica);
    }
  });

  after(async () => {
    for (const service of processes.reverse()) {
      service.child.kill('SIGTERM');
      await service.exited;
    }
    jwks?.close();
    await ses?.stop();
    await testDb?.drop();
  });

  const person = () => {
    const sub = randomUUID();
    const email = `${sub.slice(0, 8)}@example.com`;
    return { sub, email, token: () => tokens.sign({ sub, email, amr: ['pwd'], auth_time: Math.floor(Date.now() / 1000) }) };
  };
  const on = (i: number) => replicas[i % replicas.length]!.base;

  it('counts a merchant’s invitations over both replicas, and lets one of four accepts spread over them join, never logging the token', async () => {
    const owner = person();
    const created = await request<{ merchant: { id: string } }>(on(0), 'PUT', '/merchants/me', { token: owner.token(), json: profile() });
    assert.equal(created.status, 201, created.text);
    const merchantId = created.body.merchant.id;

    const invitees = Array.from({ length: 2 * INVITATIONS_PER_HOUR }, person);
    const invited = await Promise.all(
      invitees.map((invitee, i) =>
        request(on(i), 'POST', `/merchants/${merchantId}/invitations`, {
          token: owner.token(),
          json: { email: invitee.email, role: 'viewer' },
        }),
      ),
    );
    assert.deepEqual(invited.map((r) => r.status).sort(), [
      ...Array<number>(INVITATIONS_PER_HOUR).fill(201),
      ...Array<number>(INVITATIONS_PER_HOUR).fill(429),
    ]);

    const invitee = invitees[invited.findIndex((r) => r.status === 201)]!;
    const mail = await eventually(async () => (await ses!.emailsTo(invitee.email))[0], `the invitation mail to ${invitee.email}`, {
      timeoutMs: 30_000,
    });
    const token = tokenOf(mail);
    const accepts = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        request(on(i), 'POST', '/merchants/invitations/accept', { token: invitee.token(), json: { token } }),
      ),
    );
    assert.deepEqual(accepts.map((r) => r.status).sort(), [200, 404, 404, 404]);
    const members = await request<{ items: { user_id: string }[] }>(on(1), 'GET', `/merchants/${merchantId}/members`, {
      token: owner.token(),
    });
    assert.deepEqual(
      members.body.items.map((m) => m.user_id).filter((id) => id === invitee.sub),
      [invitee.sub],
    );

    const output = processes.map((service) => service.output()).join('\n');
    assert.ok(output.length > 0, 'the processes log their requests');
    assert.ok(!output.includes(token.slice(4)), 'an invitation token appeared in a log line');
  });
});
