import assert from 'node:assert/strict';
import { eventually } from '@merchant-platform/common/testing/eventually';
import { request } from '@merchant-platform/common/testing/http-server';
import { OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver.js';
import { PlatformProcesses } from './support/platform-processes.js';

const PASSWORD = 'Correct-Horse1!';
const SERVER = 2; // OTLP SpanKind
const CLIENT = 3;

/** Log lines of a process's output, as objects (pino writes one JSON object a line). */
function logLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('tracing across the services (OpenTelemetry, OTLP/HTTP JSON)', function () {
  this.timeout(300_000);
  const receiver = new OtlpReceiver();
  let platform: PlatformProcesses;

  before(async () => {
    const collector = await receiver.start();
    platform = new PlatformProcesses((service) => ({
      OTEL_EXPORTER_OTLP_ENDPOINT: collector,
      OTEL_SERVICE_NAME: service,
      // Spans reach the receiver within a fraction of a second instead of the default 5 s.
      OTEL_BSP_SCHEDULE_DELAY: '100',
    }));
    await platform.start(['email', 'auth', 'merchants']);
  });
  after(async () => {
    await platform?.stop();
    await receiver.stop();
  });

  it("gives one registration one trace, from auth's request through its call to email to email's request, with trace_id in both logs", async () => {
    const auth = platform.services.auth!;
    const registered = await request(auth.base, 'POST', '/auth/register', {
      json: { email: 'traced@example.com', password: PASSWORD, confirm_password: PASSWORD, first_name: 'Tess', last_name: 'Trace' },
    });
    assert.equal(registered.status, 201, registered.text);

    const isRegistration = (s: ReceivedSpan) =>
      s.service === 'auth' && s.kind === SERVER && s.attributes['http.route'] === '/auth/register';
    const emailServer = await eventually(() => {
      const root = receiver.spans.find(isRegistration);
      return root && receiver.spans.find((s) => s.service === 'email' && s.kind === SERVER && s.traceId === root.traceId);
    }, "email's server span in the registration's trace");
    const trace = receiver.spans.filter((s) => s.traceId === emailServer.traceId);
    const root = trace.find(isRegistration)!;
    assert.equal(root.parentSpanId ?? '', '', 'the registration starts the trace');
    const call = trace.find((s) => s.spanId === emailServer.parentSpanId);
    assert.ok(call, 'email was called from a span of the same trace');
    assert.deepEqual([call.service, call.kind], ['auth', CLIENT], "the parent of email's span is auth's outgoing call");
    assert.deepEqual([...new Set(trace.map((s) => s.service))].sort(), ['auth', 'email']);
    assert.equal(receiver.spans.filter(isRegistration).length, 1, 'one registration, one server span');

    const traceId = root.traceId;
    await eventually(
      () => logLines(platform.services.email!.output()).find((l) => l.trace_id === traceId && l.msg === 'request'),
      "email's access log line with the trace id",
    );
    const authLines = logLines(auth.output()).filter((l) => l.trace_id === traceId);
    assert.ok(
      authLines.some((l) => l.msg === 'request' && l.route === '/auth/register'),
      'auth logs the registration with its trace id',
    );
  });

  it("carries the trace from merchants into auth's JWKS when a token is checked", async () => {
    const auth = platform.services.auth!;
    const signedIn = await request(auth.base, 'POST', '/auth/token', { json: { email: 'traced@example.com', password: PASSWORD } });
    assert.equal(signedIn.status, 200, signedIn.text);
    const merchants = platform.services.merchants!;
    await request(merchants.base, 'GET', '/merchants', { token: signedIn.body.access_token });

    const jwks = await eventually(
      () =>
        receiver.spans.find(
          (s) => s.service === 'auth' && s.kind === SERVER && s.attributes['http.route'] === '/auth/.well-known/jwks.json',
        ),
      "auth's JWKS server span",
    );
    // Each process exports in its own batches: merchants' client span may arrive after auth's server span.
    const parent = await eventually(() => receiver.spans.find((s) => s.spanId === jwks.parentSpanId), 'the JWKS request has a parent span');
    assert.deepEqual([parent.service, parent.kind], ['merchants', CLIENT]);
  });

  it('leaves out probes and scrapes', async () => {
    await request(platform.services.auth!.base, 'GET', '/readyz');
    await request(platform.services.auth!.base, 'GET', '/metrics');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual(
      receiver.spans.filter((s) => /\/(healthz|readyz|metrics)\b/.test(JSON.stringify(s.attributes))),
      [],
    );
  });
});
