import assert from 'node:assert/strict';
import { accessLogger } from '@merchant-platform/common/logger';
import { captureLogs } from '@merchant-platform/common/testing/log-capture';

const parsed = (lines: string[]) => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

describe('logger', () => {
  it('scrubs secret keys at the top level and one level down', () => {
    const logs = captureLogs();
    logs.logger.info({ password: 'hunter2', user: { email: 'a@example.com', password_hash: '$2b$12$abc' }, token: 'eyJ.x.y' }, 'oops');
    const [line] = parsed(logs.lines);
    assert.equal(line!.password, '[redacted]');
    assert.equal(line!.token, '[redacted]');
    assert.deepEqual(line!.user, { email: 'a@example.com', password_hash: '[redacted]' });
    assert.ok(!logs.text().includes('hunter2') && !logs.text().includes('$2b$12$abc'));
  });

  it('writes access lines to the same destination, with the same level, time and service fields', () => {
    const logs = captureLogs('info');
    const access = accessLogger(logs.logger);
    access.debug({ method: 'GET', route: '/healthz', status: 200, ms: 0.1 }, 'request');
    access.info({ request_id: 'r-1', method: 'GET', route: '/users/me', status: 200, ms: 1.2 }, 'request');
    const lines = parsed(logs.lines);
    assert.equal(lines.length, 1, 'debug lines stay out at level info');
    assert.deepEqual(
      { ...lines[0], time: undefined },
      {
        level: 'info',
        time: undefined,
        service: 'test',
        request_id: 'r-1',
        method: 'GET',
        route: '/users/me',
        status: 200,
        ms: 1.2,
        msg: 'request',
      },
    );
    assert.match(String(lines[0]!.time), /^\d{4}-\d\d-\d\dT/);
  });

  it('leaves the logger it came from redacting', () => {
    const logs = captureLogs();
    accessLogger(logs.logger);
    logs.logger.info({ secret: 'whsec_123' }, 'after');
    assert.equal(parsed(logs.lines)[0]!.secret, '[redacted]');
  });
});
