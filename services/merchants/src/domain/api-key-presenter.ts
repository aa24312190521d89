import type { ApiKey } from './api-key.js';
import type { ApiKeyView } from './views.js';

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** Field by field, so the hash (or any later column) never reaches a response. */
export function presentApiKey(key: ApiKey): ApiKeyView {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    scopes: key.scopes,
    created_at: key.created_at.toISOString(),
    expires_at: iso(key.expires_at),
    last_used_at: iso(key.last_used_at),
    revoked_at: iso(key.revoked_at),
  };
}
