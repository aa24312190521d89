import type { PasskeyCredentialRepository } from './passkeys.js';

/**
 * The one question every rule about second factors asks: does this user have a confirmed one?
 * Today a passkey is the only kind (registered means confirmed); TOTP adds its own check here.
 */
export class SecondFactors {
  constructor(private readonly passkeys: PasskeyCredentialRepository) {}

  async hasConfirmed(userId: string): Promise<boolean> {
    return (await this.passkeys.listForUser(userId)).length > 0;
  }
}
