/**
 * `npm run openapi`: writes docs/openapi.json, the public OpenAPI document of the all-in-one app,
 * exactly as a fresh process serves it at `GET /openapi.json` (default configuration: Google
 * sign-in off, so its routes are only in the internal document). The document is deterministic:
 * paths in the order the code defines them, tags in a user's order, components sorted by name.
 * A test fails when the committed file differs from what the code serves.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from '@merchant-platform/common/testing/http-server';
import { freePort } from '@merchant-platform/common/testing/ports';
import { REPOSITORY_ROOT, spawnReadyService } from '@merchant-platform/common/testing/processes';

export const OPENAPI_FILE = join(REPOSITORY_ROOT, 'docs', 'openapi.json');
export const ALL_IN_ONE_MAIN = 'services/all-in-one/src/main.ts';

/** The committed file's form: two-space JSON with a final newline, so diffs stay line by line. */
export const formatOpenApiDocument = (document: unknown): string => `${JSON.stringify(document, null, 2)}\n`;

/** Starts the all-in-one app on an empty SQLite database under a temporary DATA_DIR and asks it for its document. */
export async function servedPublicDocument(): Promise<unknown> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mp-openapi-'));
  const platform = await spawnReadyService([ALL_IN_ONE_MAIN], { DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, await freePort());
  try {
    const { status, body } = await request(platform.base, 'GET', '/openapi.json');
    if (status !== 200) throw new Error(`GET /openapi.json answered ${status}`);
    return body;
  } finally {
    platform.child.kill('SIGKILL');
    await platform.exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(OPENAPI_FILE, formatOpenApiDocument(await servedPublicDocument()));
  process.stdout.write('wrote docs/openapi.json\n');
}
