import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { request } from '@merchant-platform/common/testing/http-server';
import { freePort } from '@merchant-platform/common/testing/ports';
import { spawnReadyService, type SpawnedService } from '@merchant-platform/common/testing/processes';
import type { TestDatabase } from '@merchant-platform/common/testing/test-database';
import { createMigratedTestDatabase, SERVICE_TOKEN, testEnv, waitFor } from './support/email-service.js';

describe('development mail (EMAIL_TRANSPORT=log)', function () {
  this.timeout(60_000);
  let testDb: TestDatabase;

  before(async () => {
    testDb = await createMigratedTestDatabase();
  });
  after(async () => testDb?.drop());

  /** The service process with the log transport; resolves once a verify_email to `to` has been written to its log. */
  async function sendThroughProcess(nodeEnv: string, to: string, code: string): Promise<SpawnedService> {
    const env = testEnv({ DATABASE_URL: testDb.url, EMAIL_TRANSPORT: 'log', NODE_ENV: nodeEnv, LOG_LEVEL: 'info' });
    const service = await spawnReadyService(['services/email/src/main.ts'], env, await freePort());
    try {
      const res = await request(service.base, 'POST', '/emails', {
        token: SERVICE_TOKEN,
        json: { to, template: 'verify_email', data: { code } },
      });
      assert.equal(res.status, 202, res.text);
      // The JSON line and the console block are written together, before the row is marked sent.
      await waitFor(
        'the mail to be sent',
        () => request(service.base, 'GET', `/emails/${res.body.id}`, { token: SERVICE_TOKEN }),
        (r) => r.body?.status === 'sent',
      );
    } catch (error) {
      service.child.kill('SIGKILL');
      throw error;
    }
    service.child.kill('SIGTERM');
    await service.exited;
    return service;
  }

  /** The JSON log line for the mail to `to`. */
  const jsonLine = (output: string, to: string) =>
    output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.to === to && line.text);

  it('prints each mail to stdout as a readable block, the code on its own line, outside production', async () => {
    const to = `dev-${randomUUID().slice(0, 8)}@example.com`;
    const service = await sendThroughProcess('development', to, '424242');
    const output = service.output();
    const block = output.slice(output.indexOf('E-MAIL (EMAIL_TRANSPORT=log'));
    assert.match(block, new RegExp(`^To: ${to}$`, 'm'));
    assert.match(block, /^Subject: Confirm your e-mail address$/m);
    assert.match(block, /^Code: 424242$/m);
    assert.match(block, /^Your verification code is: 424242$/m);
    assert.ok(jsonLine(output, to), 'the JSON log line is still written');
  });

  it('writes only the JSON log line in production', async () => {
    const to = `prod-${randomUUID().slice(0, 8)}@example.com`;
    const service = await sendThroughProcess('production', to, '515151');
    const output = service.output();
    assert.match(String(jsonLine(output, to)?.text), /Your verification code is: 515151\n/);
    assert.ok(!output.includes('E-MAIL (EMAIL_TRANSPORT=log'), 'no console block');
    assert.doesNotMatch(output, /^Code: /m);
  });
});
