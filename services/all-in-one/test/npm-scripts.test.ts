import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@merchant-platform/common/testing/ports';
import { spawnReadyService } from '@merchant-platform/common/testing/processes';

/** State and parent of a process from /proc, or undefined once it is gone. */
function processStatus(pid: number): { state: string; ppid: number } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The fields after the command name (which may hold spaces and parentheses): state, ppid, ...
  const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: state!, ppid: Number(ppid) };
}

/** Running, not a zombie (one that exited and waits to be reaped holds no port). */
const isRunning = (pid: number) => ![undefined, 'Z'].includes(processStatus(pid)?.state);

/** Every running process below `pid`: children, grandchildren... */
function descendantsOf(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)) {
    const status = processStatus(entry);
    if (!status || status.state === 'Z') continue;
    parents.set(status.ppid, [...(parents.get(status.ppid) ?? []), entry]);
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of parents.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

async function portIsFree(port: number): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

const scripts: { script: string; args: string[]; signal: NodeJS.Signals }[] = [
  { script: 'npm start', args: ['start'], signal: 'SIGTERM' },
  { script: 'npm start', args: ['start'], signal: 'SIGINT' },
  { script: 'npm run dev', args: ['run', 'dev'], signal: 'SIGTERM' },
];

describe('npm start and npm run dev', function () {
  // `npm start` builds what changed first: a cold build takes a while on a busy machine.
  this.timeout(180_000);
  let dataDir: string;

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'mp-npm-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  for (const { script, args, signal } of scripts) {
    it(`${script} stops the server and frees its port when npm receives ${signal}`, async () => {
      const port = await freePort();
      const npm = await spawnReadyService(args, { DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, port, { command: 'npm', timeoutMs: 150_000 });
      const tree = descendantsOf(npm.child.pid!);
      try {
        assert.ok(tree.length > 0, 'npm runs the server as a child process');
        npm.child.kill(signal);
        await npm.exited;
        assert.deepEqual(tree.filter(isRunning), [], 'no process of the script outlives npm');
        assert.ok(await portIsFree(port), `port ${port} is free once npm has exited`);
      } finally {
        npm.child.kill('SIGKILL');
        for (const pid of tree.filter(isRunning)) process.kill(pid, 'SIGKILL');
      }
    });
  }
});
