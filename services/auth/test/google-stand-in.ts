import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Configuration } from 'oidc-provider';

/** The claims a Google account shares with `openid email profile`. */
export interface GoogleAccount {
  email: string;
  email_verified: boolean;
  name?: string;
  given_name?: string;
  family_name?: string;
  picture?: string;
}

export interface StandInGoogle {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Google accounts by subject; tests add and change them as people do at Google. */
  accounts: Map<string, GoogleAccount>;
  close(): Promise<void>;
}

/**
 * A real OpenID provider (oidc-provider) on loopback, configured like Google: a confidential
 * client with one registered redirect URI, PKCE required, RS256 ID tokens that carry email,
 * email_verified and the names (`conformIdTokenClaims: false`), and its development login and
 * consent pages, which tests fill in as a person would.
 */
export async function startStandInGoogle(redirectUri: string): Promise<StandInGoogle> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'merchant-platform-test.apps.googleusercontent.test';
  const clientSecret = randomBytes(24).toString('base64url');
  const accounts = new Map<string, GoogleAccount>();

  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    jwks: { keys: [{ ...signingKey, kid: 'stand-in-google', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'given_name', 'family_name', 'picture'] },
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    findAccount: (_ctx, sub) => {
      const account = accounts.get(sub);
      return account ? { accountId: sub, claims: () => ({ sub, ...account }) } : undefined;
    },
  };
  const restoreConsole = muteProviderNotices();
  const { default: Provider } = await import('oidc-provider');
  server.on('request', new Provider(issuer, configuration).callback());

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }).finally(restoreConsole),
  };
}

/**
 * oidc-provider prints notices meant for people deploying it (Node 20 is "unsupported", dev
 * interactions, in-memory storage); a test stand-in is exactly that, so they are dropped
 * while it runs. Returns the function that puts the console back.
 */
function muteProviderNotices(): () => void {
  /* eslint-disable no-console -- filtering the library's own notices, nothing else */
  const { warn, info } = console;
  // The notice may be wrapped in terminal colour codes, hence a search rather than a prefix.
  const notice = /oidc-provider (WARNING|NOTICE):/;
  const filtered =
    (write: (...args: unknown[]) => void) =>
    (...args: unknown[]) => {
      if (!(typeof args[0] === 'string' && notice.test(args[0]))) write(...args);
    };
  console.warn = filtered(warn);
  console.info = filtered(info);
  return () => {
    console.warn = warn;
    console.info = info;
  };
  /* eslint-enable no-console */
}
