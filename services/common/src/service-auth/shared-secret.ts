import { createHash, timingSafeEqual } from 'node:crypto';
import { invalidToken } from '../errors.js';
import type { ServiceAuthenticator, ServiceCaller } from './service-authenticator.js';

const SHARED_SECRET_CALLER = 'shared-secret';

/**
 * `Authorization: Bearer <SERVICE_TOKEN>`. Both sides are hashed first so the comparison is
 * constant-time whatever the presented length. Without a configured secret nobody gets in.
 */
export class SharedSecretAuthenticator implements ServiceAuthenticator {
  private readonly expected: Buffer | undefined;

  constructor(secret: string | undefined) {
    this.expected = secret ? digest(secret) : undefined;
  }

  async authenticate(bearer: string): Promise<ServiceCaller> {
    const presented = digest(bearer);
    if (!this.expected || !timingSafeEqual(presented, this.expected)) throw invalidToken('The service credential is not valid.');
    return { caller: SHARED_SECRET_CALLER };
  }
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
