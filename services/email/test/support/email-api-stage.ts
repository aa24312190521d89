import { randomUUID } from 'node:crypto';
import { request, type RequestOptions } from '@merchant-platform/common/testing/http-server';
import { SesEmulator } from '@merchant-platform/common/testing/ses-emulator';
import { createTestDatabase, type TestDatabase } from '@merchant-platform/common/testing/test-database';
import type { EmailAcceptedView } from '../../src/domain/views.js';
import { SERVICE_TOKEN, startEmailService, type RunningEmailService } from './email-service.js';

/**
 * One email service on a fresh database with the SES emulator behind it, started before a suite's
 * tests and stopped after them (register it inside the suite's `describe`). Shared by the API
 * tests, which are split by behaviour over several files.
 */
export function emailApiStage() {
  const stage = {
    testDb: undefined as unknown as TestDatabase,
    ses: undefined as unknown as SesEmulator,
    service: undefined as unknown as RunningEmailService,
    token: SERVICE_TOKEN,
    unique: (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}@example.com`,
    /** No default body type: every call names what it expects, so a misspelt field fails type-checking. */
    call: <Body>(method: string, path: string, options?: RequestOptions) => request<Body>(stage.service.url, method, path, options),
    post: <Body = EmailAcceptedView>(json: unknown, path = '/emails') => stage.call<Body>('POST', path, { token: SERVICE_TOKEN, json }),
  };
  before(async () => {
    stage.testDb = await createTestDatabase();
    stage.ses = await SesEmulator.start();
    stage.service = await startEmailService({ databaseUrl: stage.testDb.url, env: { SES_ENDPOINT: stage.ses.endpoint } });
  });
  after(async () => {
    await stage.service?.close();
    await stage.ses?.stop();
    await stage.testDb?.drop();
  });
  return stage;
}
