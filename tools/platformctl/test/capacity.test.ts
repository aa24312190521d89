import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { platformctl } from './fake-release.js';

const FIXTURE_RESULTS = new URL('./fixtures/bench-results', import.meta.url).pathname;
const POST_EXAMPLE = ['--users', '1000000', '--requests-per-user-per-day', '10', '--peak-factor', '3', '--sign-in-share', '0.02'];
const capacity = (args: string[], results = FIXTURE_RESULTS) => platformctl(['capacity', ...args, '--results', results], {});

describe('platformctl capacity (npm run capacity)', () => {
  it("sizes the post's example from the bench results: CPU per request, pods at the HPA target, values.yaml replicas and both options' monthly cost", async () => {
    const run = await capacity(POST_EXAMPLE);
    assert.equal(run.code, 0, run.err);
    const lines = run.out.split('\n');
    assert.equal(lines[0], '1,000,000 users × 10 requests/day = 10,000,000 requests/day');
    assert.equal(lines[1], '  average 115.7 req/s, peak (×3) 347.2 req/s; sign-ins 2.0% of requests');
    // auth at peak: 347.2 req/s × (0.98 × 150/980 auth-me at 2.5 ms + 0.98 × 1/980 registrations at 80 ms + 0.02 sign-ins at 75 ms).
    const auth = (347.222 * (0.15 * 2.5 + 0.001 * 80 + 0.02 * 75)) / 1000;
    const row = (service: string) =>
      lines
        .find((l) => l.startsWith(`${service} `))!
        .trim()
        .split(/\s+/);
    // auth: 0.68 cores at peak / (0.25 cores requested × 70%) = 3.9, so 4 pods; minReplicas 2, maxReplicas 6 (4 × 1.5).
    assert.deepEqual(row('auth'), ['auth', '59.4', '11.43', auth.toFixed(2), '0.25/1', '192Mi/384Mi', '(210Mi)', '4', 'at', '70%']);
    assert.deepEqual(row('merchants'), ['merchants', '287.8', '2.38', '0.69', '0.1/0.5', '160Mi/320Mi', '(130Mi)', '10', 'at', '70%']);
    assert.deepEqual(row('email'), ['email', '0.3', '4.00', '0.00', '0.05/0.5', '160Mi/320Mi', '(110Mi)', '1', 'at', '70%']);
    const yaml = run.out.slice(run.out.indexOf('values.yaml'));
    assert.match(yaml, /auth:\n {4}autoscaling:\n {6}minReplicas: 2\n {6}maxReplicas: 6/);
    assert.match(run.out, /microservices, the post's sizing \(10 × c5\.large\): \$[\d,]+\/month {3}\(the post: \$800–\$1,000\)/);
    assert.match(run.out, /Lambda \+ API Gateway \(3 functions a request\): \$[\d,]+\/month {3}\(the post: \$1,500–\$2,000\)/);
    assert.match(run.out, /Lambda requests \(913 M invocations\): \$183/);
    assert.match(run.out, /API Gateway \(REST\): \$1,065/);
    assert.match(run.out, /^ {2}prices: AWS public on-demand list prices, us-east-1/m);
    assert.match(run.out, /^ {2}as of: 2024-11/m);
    assert.match(yaml, /merchants:\n {4}autoscaling:\n {6}minReplicas: 4\n {6}maxReplicas: 15/);
    assert.match(run.out, /Bench results: .*2026-01-01T00-00-00-000Z-sqlite\.json/);
  });

  it('refuses negative, missing or nonsensical numbers with a clear message (exit 64)', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['--users', '-5', '--requests-per-user-per-day', '10', '--peak-factor', '3', '--sign-in-share', '0.02'],
        /--users must be a whole number 1 or more, not "-5"/,
      ],
      [
        ['--users', '1000', '--requests-per-user-per-day', '10', '--peak-factor', '0.5', '--sign-in-share', '0.02'],
        /--peak-factor must be a number 1 or more, not "0\.5"/,
      ],
      [
        ['--users', '1000', '--requests-per-user-per-day', 'ten', '--peak-factor', '3', '--sign-in-share', '0.02'],
        /--requests-per-user-per-day must be a number above 0, not "ten"/,
      ],
      [
        ['--users', '1000', '--requests-per-user-per-day', '10', '--peak-factor', '3', '--sign-in-share', '2'],
        /--sign-in-share must be a number between 0 and 0\.5, not "2"/,
      ],
      [
        ['--users', '1000', '--requests-per-user-per-day', '10', '--peak-factor', '3'],
        /--sign-in-share must be a number between 0 and 0\.5 \(it is required\)/,
      ],
    ];
    for (const [args, message] of cases) {
      const run = await capacity(args);
      assert.equal(run.code, 64, args.join(' '));
      assert.match(run.err, message);
      assert.equal(run.out, '');
    }
  });

  it('says to run the bench first when there are no results yet (exit 66)', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-bench-'));
    try {
      const run = await capacity(POST_EXAMPLE, empty);
      assert.equal(run.code, 66);
      assert.equal(run.err, `No bench results in ${empty}: run npm run bench first (it writes them there).`);
    } finally {
      rmSync(empty, { recursive: true });
    }
  });
});
