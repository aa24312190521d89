import { readFile } from 'node:fs/promises';

/** The shared SERVICE_TOKEN, or a file holding a projected ServiceAccount token. */
export type ServiceCredential = { token: string } | { tokenFile: string };

/** `SERVICE_TOKEN_FILE` wins over `SERVICE_TOKEN`, as with every `X` / `X_FILE` pair. */
export function serviceCredentialFromEnv(env: {
  SERVICE_TOKEN?: string | undefined;
  SERVICE_TOKEN_FILE?: string | undefined;
}): ServiceCredential {
  return env.SERVICE_TOKEN_FILE ? { tokenFile: env.SERVICE_TOKEN_FILE } : { token: env.SERVICE_TOKEN ?? '' };
}

/** The bearer value to present now; a token file is re-read each time because the kubelet rotates it. */
export async function presentCredential(credential: ServiceCredential): Promise<string> {
  return 'token' in credential ? credential.token : (await readFile(credential.tokenFile, 'utf8')).trim();
}
