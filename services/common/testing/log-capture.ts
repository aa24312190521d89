import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../src/logger.js';

/** A real pino logger whose lines are kept in memory, so tests can read what was logged. */
export function captureLogs(level = 'info'): { logger: Logger; lines: string[]; text: () => string } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger({ level, name: 'test' }, sink);
  return { logger, lines, text: () => lines.join('\n') };
}
