import { randomUUID } from 'node:crypto';
import { conflict, invalidToken, notFound } from '@merchant-platform/common/errors';
import { hashSecret, keyWorksAt, newSecret, secretPrefix, type ApiKey, type ApiKeyRepository } from './api-key.js';
import { presentApiKey } from './api-key-presenter.js';
import type { EventfulChanges } from '@merchant-platform/common/events/eventful-changes';
import { apiKeySubject, merchantEvent } from './merchant-events.js';
import type { Principal } from './principal.js';
import type { Scope } from './roles.js';
import type { ApiKeyView } from './views.js';

/** `last_used_at` is written at most this often per key, so a busy key is not a write per request. */
const TOUCH_INTERVAL_MS = 60_000;

export interface NewApiKey {
  name: string;
  scopes: Scope[];
  expires_at?: Date | undefined;
}

export interface IssuedApiKey {
  api_key: ApiKeyView;
  /** Shown once, in the answer that creates or rolls the key. */
  secret: string;
}

/** A merchant's API keys: issued, listed, rolled, revoked, and recognised when presented. */
export class ApiKeys {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly events: EventfulChanges,
  ) {}

  async create(by: Principal, input: NewApiKey): Promise<IssuedApiKey> {
    const merchantId = by.merchantId;
    const id = randomUUID();
    const issued = withSecret({
      id,
      merchant_id: merchantId,
      family_id: id,
      generation: 0,
      name: input.name,
      scopes: [...new Set(input.scopes)],
      created_at: new Date(),
      expires_at: input.expires_at ?? null,
      last_used_at: null,
      revoked_at: null,
      replaced_by: null,
    });
    const { key } = issued;
    await this.events.withChange(
      () => this.keys.insert(key),
      () =>
        merchantEvent('api_key.created', by, merchantId, apiKeySubject(key.id), { name: key.name, prefix: key.prefix, scopes: key.scopes }),
    );
    return { api_key: presentApiKey(issued.key), secret: issued.secret };
  }

  async list(merchantId: string): Promise<ApiKeyView[]> {
    return (await this.keys.listForMerchant(merchantId)).map(presentApiKey);
  }

  /**
   * A successor with the same name, scopes and expiry and a new secret; the old secret works
   * `graceSeconds` longer. A key already rolled or ended cannot be rolled (409): of concurrent
   * rolls, one wins.
   */
  async roll(by: Principal, keyId: string, graceSeconds: number): Promise<IssuedApiKey> {
    const old = await this.existing(by.merchantId, keyId);
    const now = new Date();
    const id = randomUUID();
    const successor = withSecret({
      ...old,
      id,
      generation: old.generation + 1,
      created_at: now,
      last_used_at: null,
      revoked_at: null,
      replaced_by: null,
    });
    const { key } = successor;
    const rolled = await this.events.withChange(
      () => this.keys.roll(old, key, new Date(now.getTime() + graceSeconds * 1000), now),
      (done) =>
        done &&
        merchantEvent('api_key.rolled', by, by.merchantId, apiKeySubject(key.id), {
          name: key.name,
          prefix: key.prefix,
          replaced_key_id: old.id,
          grace_seconds: graceSeconds,
        }),
    );
    if (!rolled) throw conflict('This key was already rolled or revoked; roll its successor instead.');
    return { api_key: presentApiKey(successor.key), secret: successor.secret };
  }

  /** Ends the key at once, and any older secret of it still in a roll's grace. Revoking twice is no error. */
  async revoke(by: Principal, keyId: string): Promise<void> {
    const key = await this.existing(by.merchantId, keyId);
    const now = new Date();
    await this.events.withChange(
      () => this.keys.revokeWithPredecessors(key, now),
      // Revoking an ended key changes nothing, so it records nothing.
      () =>
        keyWorksAt(key, now) &&
        merchantEvent('api_key.revoked', by, by.merchantId, apiKeySubject(key.id), { name: key.name, prefix: key.prefix }),
    );
  }

  /** The working key whose secret this is (one indexed lookup of its hash), or 401 `invalid_token`. */
  async authenticate(secret: string): Promise<ApiKey> {
    const key = await this.keys.findByHash(hashSecret(secret));
    if (!key || !keyWorksAt(key, new Date())) throw invalidToken('The API key is invalid, revoked or expired.');
    return key;
  }

  async noteUse(key: ApiKey): Promise<void> {
    const now = new Date();
    if (key.last_used_at && now.getTime() - key.last_used_at.getTime() < TOUCH_INTERVAL_MS) return;
    await this.keys.touch(key.id, now, new Date(now.getTime() - TOUCH_INTERVAL_MS));
  }

  private async existing(merchantId: string, keyId: string): Promise<ApiKey> {
    const key = await this.keys.find(merchantId, keyId);
    if (!key) throw notFound('This merchant has no API key with this id.');
    return key;
  }
}

function withSecret(fields: Omit<ApiKey, 'prefix' | 'secret_hash'>): { key: ApiKey; secret: string } {
  const secret = newSecret();
  return { key: { ...fields, prefix: secretPrefix(secret), secret_hash: hashSecret(secret) }, secret };
}
