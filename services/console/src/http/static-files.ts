import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Router } from '@koa/router';

const STATIC_DIR = fileURLToPath(new URL('../../static/', import.meta.url));
const require = createRequire(import.meta.url);

/**
 * The stylesheet and the few scripts, served by the console itself (no CDN): read once at start,
 * by an allow-list of names, so no request path ever reaches the file system.
 */
const FILES: Record<string, { file: string; type: string }> = {
  'style.css': { file: `${STATIC_DIR}style.css`, type: 'text/css; charset=utf-8' },
  'password-hint.js': { file: `${STATIC_DIR}password-hint.js`, type: 'text/javascript; charset=utf-8' },
  'copy-button.js': { file: `${STATIC_DIR}copy-button.js`, type: 'text/javascript; charset=utf-8' },
  'passkeys.js': { file: `${STATIC_DIR}passkeys.js`, type: 'text/javascript; charset=utf-8' },
  'google-complete.js': { file: `${STATIC_DIR}google-complete.js`, type: 'text/javascript; charset=utf-8' },
  'vendor/simplewebauthn-browser.js': {
    // The package exports no subpath; its browser bundle sits beside the CommonJS entry.
    file: join(dirname(require.resolve('@simplewebauthn/browser')), '../dist/bundle/index.umd.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
};

export function staticFiles(router: Router): void {
  const contents = new Map(Object.entries(FILES).map(([name, { file, type }]) => [name, { body: readFileSync(file), type }]));
  router.get(['/static/:name', '/static/vendor/:name'], (ctx) => {
    const found = contents.get(ctx.path.slice('/static/'.length));
    if (!found) return;
    ctx.type = found.type;
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = found.body;
  });
}
