import { hkdfSync } from 'node:crypto';
import { SecretBox } from '@merchant-platform/common/secret-box';

/**
 * Seals TOTP secrets (the factor id bound in). The key is derived (HKDF) from the password
 * pepper, a server secret that never rotates (passwords depend on it too), unlike the signing key.
 */
export class TotpSecretBox extends SecretBox {
  constructor(serverSecret: string) {
    super(Buffer.from(hkdfSync('sha256', serverSecret, 'merchant-platform', 'totp-secret-encryption', 32)));
  }
}
