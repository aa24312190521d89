import type * as Oidc from 'openid-client';
import { invalidToken, unavailable, type AppError } from '@merchant-platform/common/errors';
import type { Logger } from '@merchant-platform/common/logger';
import type { GoogleIdentity, GoogleOpenIdClient, LoginChecks } from '../domain/google-sign-in.js';

export interface OpenIdClientSettings {
  /** GOOGLE_ISSUER: https://accounts.google.com, or any OpenID provider (a stand-in in tests). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** GOOGLE_REDIRECT_URI: the public callback URL registered with the provider. */
  redirectUri: string;
}

const SCOPE = 'openid email profile';
const TIMEOUT_SECONDS = 10;

/**
 * Google through openid-client v6: discovery once (kept for the process; a failed one is
 * retried on the next login), authorization-code flow with PKCE S256, state and nonce.
 * openid-client checks the ID token's issuer, audience, signature, nonce and expiry.
 */
export class OpenIdGoogleClient implements GoogleOpenIdClient {
  private configuration: Promise<Oidc.Configuration> | undefined;
  /** openid-client (with jose and oauth4webapi) is loaded only when Google sign-in is configured. */
  private readonly library = import('openid-client');

  constructor(
    private readonly settings: OpenIdClientSettings,
    private readonly logger: Logger,
  ) {}

  async startLogin(): Promise<{ url: string; checks: LoginChecks }> {
    const oidc = await this.library;
    const config = await this.discover();
    const checks: LoginChecks = { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier: oidc.randomPKCECodeVerifier() };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      scope: SCOPE,
      state: checks.state,
      nonce: checks.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, checks };
  }

  async finishLogin(callback: URLSearchParams, checks: LoginChecks): Promise<GoogleIdentity> {
    const oidc = await this.library;
    const config = await this.discover();
    // The registered URI, not the URL this pod saw: behind an ingress they differ, and the
    // token request must repeat the redirect_uri of the authorization request exactly.
    const currentUrl = new URL(this.settings.redirectUri);
    currentUrl.search = callback.toString();
    let claims: Oidc.IDToken | undefined;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        pkceCodeVerifier: checks.codeVerifier,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (error) {
      throw this.rejection(oidc, error);
    }
    if (!claims) throw invalidToken('The Google sign-in could not be verified.');
    return {
      subject: claims.sub,
      email: stringClaim(claims.email),
      // Google has sent the string "true" in the past; anything else is "not verified".
      emailVerified: claims.email_verified === true || claims.email_verified === 'true',
      givenName: stringClaim(claims.given_name),
      familyName: stringClaim(claims.family_name),
      name: stringClaim(claims.name),
      picture: stringClaim(claims.picture),
    };
  }

  private async discover(): Promise<Oidc.Configuration> {
    const { issuer, clientId, clientSecret } = this.settings;
    const oidc = await this.library;
    this.configuration ??= oidc
      .discovery(new URL(issuer), clientId, undefined, oidc.ClientSecretPost(clientSecret), {
        // Plain http only for a loopback stand-in provider; config refuses it in production.
        execute: new URL(issuer).protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
        timeout: TIMEOUT_SECONDS,
      })
      .catch((error: unknown) => {
        this.configuration = undefined;
        this.logger.error({ err: error, issuer }, 'OpenID provider discovery failed');
        throw unavailable('Google sign-in is unavailable right now; try again shortly.');
      });
    return this.configuration;
  }

  /** Provider down: 503. Anything wrong with the response itself: 401 invalid_token. */
  private rejection(oidc: typeof Oidc, error: unknown): AppError {
    if (isProviderOutage(oidc, error)) {
      this.logger.error({ err: error }, 'OpenID provider unreachable during the code exchange');
      return unavailable('Google sign-in is unavailable right now; try again shortly.');
    }
    // Messages only (never the error object: its cause may hold the callback's parameters).
    this.logger.warn({ reason: reasonOf(oidc, error) }, 'Google sign-in callback rejected');
    return invalidToken('The Google sign-in could not be verified; start again.');
  }
}

function isProviderOutage(oidc: typeof Oidc, error: unknown): boolean {
  if (error instanceof oidc.ResponseBodyError) return error.status >= 500;
  if (error instanceof oidc.ClientError) return error.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || error.code === 'OAUTH_RESPONSE_IS_NOT_JSON';
  // fetch's network failures and AbortSignal timeouts
  return (error instanceof TypeError && error.message === 'fetch failed') || (error instanceof Error && ['AbortError', 'TimeoutError'].includes(error.name));
}

/** e.g. `unexpected JWT claim value encountered: unexpected ID Token "nonce" claim value`, `invalid_grant: ...` */
function reasonOf(oidc: typeof Oidc, error: unknown): string {
  if (error instanceof oidc.ResponseBodyError || error instanceof oidc.AuthorizationResponseError) {
    return [error.error, error.error_description].filter(Boolean).join(': ');
  }
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}

const stringClaim = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
