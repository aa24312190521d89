import type { z } from 'zod';
import { ConfigError, loadConfig, type Env } from './config.js';

/** What a command-line tool reads and writes, passed in so tests run it in-process or spawned alike. */
export interface CliIo {
  argv: string[];
  env: Env;
  out: (line: string) => void;
  err: (line: string) => void;
}

export const EX_USAGE = 64;
export const EX_UNAVAILABLE = 69;
export const EX_CONFIG = 78;

/** The arguments after npm's `--`. */
export const cliArguments = (io: CliIo) => io.argv.filter((a) => a !== '--');

/** The tool's configuration, or undefined after writing every problem (and `hint`) to stderr. */
export function loadCliConfig<S extends z.ZodType>(schema: S, io: CliIo, hint?: string): z.output<S> | undefined {
  try {
    return loadConfig(schema, io.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.err(hint ? `${error.message}\n${hint}` : error.message);
    return undefined;
  }
}
