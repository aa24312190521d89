import { createRequire } from 'node:module';
import type * as Api from '@opentelemetry/api';
import type * as Exporter from '@opentelemetry/exporter-trace-otlp-http';
import type * as Instrumentation from '@opentelemetry/instrumentation';
import type * as HttpInstrumentation from '@opentelemetry/instrumentation-http';
import type * as UndiciInstrumentation from '@opentelemetry/instrumentation-undici';
import type * as Resources from '@opentelemetry/resources';
import type * as TraceNode from '@opentelemetry/sdk-trace-node';
import { useTracing } from './trace-ids.js';

/**
 * Imported first by every main.ts, for its side effect: when OTEL_EXPORTER_OTLP_ENDPOINT is set,
 * starts OpenTelemetry tracing: a span per request and per outgoing call (node:http and fetch),
 * W3C `traceparent` carried on every call between the services, spans sent as OTLP/HTTP JSON.
 *
 * The packages are required synchronously, and only when tracing is on: a static import would
 * load them (start-up time, memory) in every process, and an `await import()` would let the
 * modules imported after this one (Koa, node:http users) load before the hooks are in place.
 * The tracer provider is wired by hand rather than through @opentelemetry/sdk-node, which loads
 * every exporter it could configure (gRPC, protobuf, Zipkin, Prometheus): about 2.5 times the
 * start-up cost for the same traces. The SDK reads the rest from OTEL_* (sampler, batch delay,
 * resource attributes).
 */
if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT) startTracing();

const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

function startTracing(): void {
  const require = createRequire(import.meta.url);
  const { trace } = require('@opentelemetry/api') as typeof Api;
  const { NodeTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-node') as typeof TraceNode;
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof Exporter;
  const { registerInstrumentations } = require('@opentelemetry/instrumentation') as typeof Instrumentation;
  const { HttpInstrumentation: Http } = require('@opentelemetry/instrumentation-http') as typeof HttpInstrumentation;
  const { UndiciInstrumentation: Undici } = require('@opentelemetry/instrumentation-undici') as typeof UndiciInstrumentation;
  const { defaultResource, detectResources, envDetector, resourceFromAttributes } = require('@opentelemetry/resources') as typeof Resources;

  const resource = defaultResource()
    .merge(resourceFromAttributes({ 'service.name': 'merchant-platform' }))
    // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (the chart sets both) win.
    .merge(detectResources({ detectors: [envDetector] }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())] });
  provider.register();
  registerInstrumentations({
    instrumentations: [
      // Probes and scrapes would be most of the spans and tell nothing.
      new Http({ ignoreIncomingRequestHook: (request) => QUIET_PATHS.has((request.url ?? '').split('?')[0]!) }),
      new Undici(),
    ],
  });
  useTracing({
    activeTraceId: () => trace.getActiveSpan()?.spanContext().traceId,
    nameRequestSpan: (method, route) => trace.getActiveSpan()?.updateName(`${method} ${route}`).setAttribute('http.route', route),
    stop: () => provider.shutdown(),
  });
}
