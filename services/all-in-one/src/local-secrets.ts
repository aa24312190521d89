import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SigningKeys } from '@merchant-platform/auth/domain/signing-keys';

export interface LocalSecrets {
  jwtPrivateKey: string;
  sessionKeys: string[];
  serviceToken: string;
  passwordPepper: string;
  /** WEBHOOK_SECRET_KEY: seals merchants' webhook signing secrets. */
  webhookSecretKey: string;
}

/**
 * Secrets for all-in-one mode: taken from the environment when given, else generated once and
 * kept under DATA_DIR (mode 0600) so tokens and sessions survive a restart. In production the
 * config schema (requireInProduction) already refused to start without every one of them.
 */
export function localSecrets(
  dataDir: string,
  given: { jwtPrivateKey?: string; sessionKeys?: string[]; serviceToken?: string; passwordPepper?: string; webhookSecretKey?: string },
): LocalSecrets {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  return {
    jwtPrivateKey: given.jwtPrivateKey ?? keptSecret(dataDir, 'jwt-private-key.pem', () => SigningKeys.generatePem()),
    sessionKeys: given.sessionKeys?.length
      ? given.sessionKeys
      : [keptSecret(dataDir, 'session-key', () => randomBytes(32).toString('base64url'))],
    serviceToken: given.serviceToken ?? keptSecret(dataDir, 'service-token', () => randomBytes(32).toString('base64url')),
    passwordPepper: given.passwordPepper ?? keptSecret(dataDir, 'password-pepper', () => randomBytes(32).toString('base64url')),
    webhookSecretKey: given.webhookSecretKey ?? keptSecret(dataDir, 'webhook-secret-key', () => randomBytes(32).toString('base64url')),
  };
}

function keptSecret(dataDir: string, name: string, generate: () => string): string {
  const path = join(dataDir, name);
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  // 'wx' fails if another process created it meanwhile; then read theirs.
  try {
    writeFileSync(path, `${generate()}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  chmodSync(path, 0o600);
  return readFileSync(path, 'utf8').trim();
}
