import { pino, type Logger, type DestinationStream } from 'pino';
import { activeTraceFields } from './tracing/trace-ids.js';

export type { Logger };

/**
 * Paths scrubbed from every log line. Secrets must never reach a log even when a developer
 * logs a whole object by mistake, so the list is broad and covers one level of nesting.
 */
const SECRET_KEYS = [
  'password',
  'current_password',
  'confirm_password',
  'password_hash',
  'passwordHash',
  'hash',
  'token',
  'access_token',
  'refresh_token',
  'refreshToken',
  'accessToken',
  'id_token',
  'code',
  'otp',
  'secret',
  'client_secret',
  'key',
  'privateKey',
  'private_key',
  'cookie',
  'authorization',
  'serviceToken',
  'service_token',
];

const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

/**
 * Lines go to stdout through an asynchronous destination: a blocking write per request was part
 * of the hot read's cost. Pino flushes what is buffered when the process exits.
 */
export function createLogger(options: { level?: string; name?: string } = {}, destination?: DestinationStream): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: options.name ? { service: options.name } : {},
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // With tracing on, every line logged inside a span names its trace (requests bind it otherwise).
      mixin: activeTraceFields,
    },
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

/**
 * The logger for the one access line each request writes: the same destination, level, time and
 * trace mixin, without the redaction. Pino runs every key of a line through all the wildcard
 * paths above (a tenth of the hot read's logging cost); the access line's keys are fixed (method,
 * route template, status, duration, request and trace ids), so no secret can be in it.
 */
export const accessLogger = (logger: Logger): Logger => logger.child({}, { redact: [] });
