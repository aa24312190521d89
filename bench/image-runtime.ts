import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './processes.js';

/**
 * The environment the images give every service (the Dockerfile's `runtime` stage `ENV`, such as
 * `NODE_OPTIONS` and `MALLOC_ARENA_MAX`), read from the Dockerfile itself, so the bench runs the
 * services as the images do and the two cannot drift apart. The bench's own settings (port,
 * host) are spread after it.
 */
export function imageRuntimeEnv(dockerfile = join(ROOT, 'Dockerfile')): Record<string, string> {
  const lines = readFileSync(dockerfile, 'utf8').split('\n');
  const stage = lines.findIndex((line) => /^FROM\s+\S+\s+AS\s+runtime\s*$/i.test(line));
  if (stage < 0) throw new Error('the Dockerfile has no `runtime` stage');
  const env: Record<string, string> = {};
  let continued = false;
  for (const line of lines.slice(stage + 1)) {
    if (/^FROM\s/i.test(line)) break;
    const text: string | undefined = continued ? line : /^ENV\s+(.*)$/i.exec(line)?.[1];
    if (text === undefined) continue;
    continued = text.trimEnd().endsWith('\\');
    for (const pair of text
      .replace(/\\\s*$/, '')
      .trim()
      .split(/\s+/)
      .filter(Boolean)) {
      const [name, ...value] = pair.split('=');
      if (!name || value.length === 0) throw new Error(`cannot read the Dockerfile's runtime ENV: ${pair}`);
      env[name] = value.join('=');
    }
  }
  return env;
}
