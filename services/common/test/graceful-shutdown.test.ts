import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@merchant-platform/common/testing/eventually';
import { freePort } from '@merchant-platform/common/testing/ports';
import { spawnReadyService, type SpawnedService } from '@merchant-platform/common/testing/processes';

const CLIENTS = 8;

interface Tally {
  ok: number;
  closedByServer: number;
  errors: Record<string, number>;
}

/** GET over a keep-alive agent; resolves with the status and the Connection header, or the error code. */
function fetchKeepAlive(agent: Agent, url: string): Promise<{ status: number; connection: string | undefined } | { error: string }> {
  return new Promise((resolve) => {
    const req = get(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
  });
}

/** One keep-alive client asking in a loop until the server is gone (its port refuses connections). */
async function askUntilRefused(url: string, tally: Tally): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (;;) {
      const answer = await fetchKeepAlive(agent, url);
      if ('error' in answer) {
        tally.errors[answer.error] = (tally.errors[answer.error] ?? 0) + 1;
        if (answer.error === 'ECONNREFUSED') return;
        continue;
      }
      tally.ok++;
      if (answer.connection === 'close') tally.closedByServer++;
    }
  } finally {
    agent.destroy();
  }
}

describe('graceful shutdown under keep-alive load', function () {
  this.timeout(60_000);
  let dataDir: string;
  let service: SpawnedService & { base: string };

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mp-drain-'));
    const port = await freePort();
    service = await spawnReadyService(['services/all-in-one/src/main.ts'], { DATA_DIR: dataDir, LOG_LEVEL: 'info' }, port);
  });
  after(() => {
    service.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finishes every request after SIGTERM, with Connection: close and no reset, and exits 0', async () => {
    const tally: Tally = { ok: 0, closedByServer: 0, errors: {} };
    const clients = Array.from({ length: CLIENTS }, () => askUntilRefused(`${service.base}/healthz`, tally));
    await eventually(() => (tally.ok >= 200 ? true : undefined), 'the clients to be under way');
    service.child.kill('SIGTERM');
    const [code] = await Promise.all([service.exited, ...clients]);
    assert.equal(code, 0, service.output());
    assert.deepEqual(Object.keys(tally.errors), ['ECONNREFUSED'], JSON.stringify(tally.errors));
    assert.ok(tally.closedByServer >= 1, 'no response carried Connection: close');
    assert.match(service.output(), /shut down cleanly/);
  });
});
