import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'mocha';
import { memoryCgroup, podMemoryLimitMiB } from '../../bench/memory-limit.js';
import { mebibytes, readServiceValues } from '../../tools/platformctl/src/chart-values.js';

/** What a Node started by the bench sees of its memory: the limit, and the heap V8 sized from it. */
const PROBE = `const v8 = require('node:v8');
process.stdout.write(JSON.stringify({ pid: process.pid, constrained: process.constrainedMemory(), heapLimit: v8.getHeapStatistics().heap_size_limit }));`;

describe('bench: services run under their pod memory limit', () => {
  it("reads each pod's limit from the chart, all-in-one under auth's", () => {
    const services = readServiceValues();
    const constrained = { unconstrained: false };
    assert.equal(podMemoryLimitMiB('auth', constrained), mebibytes(services.auth!.resources.limits.memory!));
    assert.equal(podMemoryLimitMiB('merchants', constrained), mebibytes(services.merchants!.resources.limits.memory!));
    assert.equal(podMemoryLimitMiB('email', constrained), mebibytes(services.email!.resources.limits.memory!));
    assert.equal(podMemoryLimitMiB('merchants', { unconstrained: true }), undefined, '--unconstrained: the machine');
    // The chart's values as they stand: all-in-one gets auth's larger pod, not merchants'.
    assert.deepEqual(
      [podMemoryLimitMiB('auth', constrained), podMemoryLimitMiB('merchants', constrained), podMemoryLimitMiB('email', constrained)],
      [384, 320, 320],
    );
  });

  it('reads Kubernetes memory quantities', () => {
    assert.equal(mebibytes('320Mi'), 320);
    assert.equal(mebibytes('1Gi'), 1024);
    assert.equal(mebibytes('512Ki'), 0.5);
    assert.equal(mebibytes(String(64 * 2 ** 20)), 64);
    assert.equal(mebibytes('1G'), 1e9 / 2 ** 20);
    for (const bad of ['', 'Mi', '320 MB', '-1Mi', '1.5.0Gi']) assert.throws(() => mebibytes(bad), /not a memory quantity/, bad);
  });

  it('starts node in a cgroup of its own, where Node sizes its heap from the limit, and removes the cgroup after', function () {
    const cgroup = memoryCgroup('memory-limit-test', 320);
    // Only where the harness may make cgroups (root here and in CI); elsewhere the bench reports "no memory limit".
    if (!cgroup) this.skip();
    try {
      const { program, args } = cgroup.command(process.execPath, ['-e', PROBE]);
      const seen = JSON.parse(execFileSync(program, args, { encoding: 'utf8' })) as { constrained: number; heapLimit: number };
      assert.equal(seen.constrained, 320 * 2 ** 20);
      // Unconstrained, V8 takes a quarter of the machine's memory or more; under 320 MiB it stays below the limit.
      assert.ok(seen.heapLimit < 320 * 2 ** 20, `heap limit ${seen.heapLimit / 2 ** 20} MiB`);
    } finally {
      cgroup.remove();
    }
    assert.equal(existsSync(cgroup.directory), false);
  });
});
