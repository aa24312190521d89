import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { accountDisabled, conflict, emailNotVerified, invalidToken, notFound, validationFailed } from '@merchant-platform/common/errors';
import { email as emailField } from '@merchant-platform/common/fields';
import { spendIfAvailable } from '@merchant-platform/common/rate-limit';
import type { MfaChallengeSignIn } from './mfa-challenge-sign-in.js';
import type { TokenIssuer, TokenPair } from './token-issuer.js';
import type { RoleGrants } from './roles.js';
import type { NewUser, User, UserChanges, UserRepository } from './user.js';
import type { SecurityEvents } from './security-events.js';

/** What the provider vouches for, read from an ID token openid-client has validated. */
export interface GoogleIdentity {
  subject: string;
  email: string | undefined;
  emailVerified: boolean;
  givenName: string | undefined;
  familyName: string | undefined;
  name: string | undefined;
  picture: string | undefined;
}

/** The secrets of one login attempt that the callback must present again. */
export interface LoginChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** A started login, kept in the signed session cookie until its callback (or for 10 minutes). */
export interface PendingGoogleLogin extends LoginChecks {
  redirectTo: string | null;
  expiresAt: number;
}

/** The OpenID client (data/openid-google-client.ts); it speaks to Google, this file decides. */
export interface GoogleOpenIdClient {
  /** A fresh state, nonce and PKCE verifier, and the authorization URL carrying them (S256 challenge). */
  startLogin(): Promise<{ url: string; checks: LoginChecks }>;
  /**
   * Redeems the callback: state, code (with the PKCE verifier), then the ID token's issuer,
   * audience, signature, nonce and expiry. Throws 401 `invalid_token` when any of it is wrong.
   */
  finishLogin(callback: URLSearchParams, checks: LoginChecks): Promise<GoogleIdentity>;
}

export interface GoogleSignInSettings {
  /** `redirect_to` must start with one of these (AUTH_REDIRECT_ALLOWLIST). */
  redirectAllowList: string[];
}

export const LOGIN_TTL_MS = 10 * 60_000;

/**
 * Google sign-in: the login/callback flow and the rules that tie a Google identity to an account.
 *
 * An identity is matched by its subject, never by its email (emails change hands). A first
 * sign-in creates an account, or links the account with the same email, but only when Google
 * has verified that address: otherwise whoever controls the Google account would take over
 * the local one. Linking an account whose own email was never verified clears its password and
 * signs it out everywhere, so a person who pre-registered someone else's address loses access.
 */
export class GoogleSignIn {
  constructor(
    private readonly users: UserRepository,
    private readonly tokens: TokenIssuer,
    /** Absent when GOOGLE_CLIENT_ID/SECRET/REDIRECT_URI are not all set: sign-in is off. */
    private readonly client: GoogleOpenIdClient | undefined,
    /**
     * One point per state for the login's lifetime, shared by replicas: a copy of the session
     * cookie replayed later finds its state spent, whatever happened to the first try.
     */
    private readonly usedLogins: RateLimiterAbstract,
    private readonly roles: RoleGrants,
    private readonly settings: GoogleSignInSettings,
    private readonly secondStep: Pick<MfaChallengeSignIn, 'demandIfEnrolled'>,
    private readonly events: SecurityEvents,
  ) {}

  /** Off until GOOGLE_CLIENT_ID/SECRET/REDIRECT_URI are all set. */
  get enabled(): boolean {
    return this.client !== undefined;
  }

  /** Sign-in is off: every Google route answers 404, as if it did not exist. */
  assertEnabled(): void {
    this.enabledClient();
  }

  async begin(redirectTo: string | undefined): Promise<{ location: string; pending: PendingGoogleLogin }> {
    const client = this.enabledClient();
    if (redirectTo !== undefined && !isAllowedRedirect(redirectTo, this.settings.redirectAllowList)) {
      throw validationFailed([{ path: 'query.redirect_to', message: 'must start with one of the allowed redirect URLs' }]);
    }
    const { url, checks } = await client.startLogin();
    return { location: url, pending: { ...checks, redirectTo: redirectTo ?? null, expiresAt: Date.now() + LOGIN_TTL_MS } };
  }

  /** `pending` comes from the session (already removed from it: one try per login). */
  async complete(pending: unknown, callback: URLSearchParams): Promise<{ pair: TokenPair; redirectTo: string | null }> {
    const client = this.enabledClient();
    if (!isPendingLogin(pending) || pending.expiresAt <= Date.now() || !(await spendIfAvailable(this.usedLogins, pending.state))) {
      throw invalidToken('This Google sign-in has expired or was already used; start again.');
    }
    const identity = await client.finishLogin(callback, pending);
    const user = await this.accountFor(identity);
    // A user with a second factor gets a challenge (401 mfa_required) instead of tokens.
    await this.secondStep.demandIfEnrolled(user, 'google');
    return { pair: await this.tokens.issueTokenPair(user, 'google', undefined, { amr: ['fed'] }), redirectTo: pending.redirectTo };
  }

  /** The account this Google identity signs in to, created or linked on first sign-in. */
  private async accountFor(identity: GoogleIdentity, retryOnRace = true): Promise<User> {
    const known = await this.users.findByGoogleSubject(identity.subject);
    if (known) return this.roles.apply(active(known));
    if (!identity.email) throw invalidToken('Google did not share an email address for this account.');
    // The same rule as a typed-in email: what is stored and compared is always in one form.
    const claim = emailField.safeParse(identity.email);
    if (!claim.success) throw invalidToken('The email address Google shared is not a valid email address.');
    const email = claim.data;
    const local = await this.users.findByEmail(email);
    if (local) return this.link(local, identity);
    if (!identity.emailVerified) {
      // An unverified address would squat the email: its real owner could never register it.
      throw emailNotVerified('Google has not verified the email address of this account; verify it with Google first.');
    }
    const created = await this.events.withChange(
      () => this.users.create(this.newUser(identity, email)),
      (user) => user && { type: 'user.registered', userId: user.id, data: { email: user.email, method: 'google' } },
    );
    if (created) return created;
    // A concurrent first sign-in (same subject) or registration (same email) won the insert.
    if (retryOnRace) return this.accountFor(identity, false);
    throw conflict('This account changed during sign-in; try again.');
  }

  private async link(local: User, identity: GoogleIdentity): Promise<User> {
    if (!identity.emailVerified) {
      throw conflict('An account with this email exists and Google has not verified the address, so they cannot be linked.');
    }
    if (local.googleSubject) throw conflict('The account with this email is linked to another Google account.');
    active(local);
    const changes: UserChanges = {
      googleSubject: identity.subject,
      emailVerified: true,
      roles: this.roles.rolesFor({ ...local, emailVerified: true }),
    };
    if (!local.emailVerified) {
      // Nobody proved this address before, so the password and profile may be a squatter's.
      Object.assign(changes, { passwordHash: null, ...profileFrom(identity, local.email) });
    }
    const linked = await this.users.update(local.id, changes);
    if (!linked) throw conflict('This account changed during sign-in; try again.');
    if (!local.emailVerified) await this.tokens.revokeAllForUser(local.id);
    return linked;
  }

  private newUser(identity: GoogleIdentity, email: string): NewUser {
    return {
      email,
      passwordHash: null,
      googleSubject: identity.subject,
      ...profileFrom(identity, email),
      emailVerified: true,
      roles: this.roles.rolesFor({ email, emailVerified: true, roles: ['merchant'] }),
    };
  }

  private enabledClient(): GoogleOpenIdClient {
    if (!this.client) throw notFound();
    return this.client;
  }
}

/**
 * `redirect_to` must be an absolute http(s) URL starting with an allow-list entry, and the
 * entry must end on a boundary: `https://app.example` allows `https://app.example/x`, never
 * `https://app.example.evil.net`. No fragment: the token pair goes there.
 */
function isAllowedRedirect(redirectTo: string, allowList: string[]): boolean {
  if (!URL.canParse(redirectTo) || redirectTo.includes('#') || /[\s\\]/.test(redirectTo)) return false;
  const url = new URL(redirectTo);
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) return false;
  return allowList.some((entry) => {
    if (!redirectTo.startsWith(entry)) return false;
    const next = redirectTo.charAt(entry.length);
    return /[/?#]$/.test(entry) || next === '' || next === '/' || next === '?';
  });
}

function active(user: User): User {
  if (user.disabled) throw accountDisabled();
  return user;
}

type Profile = Pick<NewUser, 'firstName' | 'middleName' | 'lastName' | 'profilePicture'>;

/** Names and picture from the claims, cut to what the columns and the API accept. */
function profileFrom(identity: GoogleIdentity, email: string): Profile {
  const [nameFirst, ...nameRest] = (claimText(identity.name) ?? '').split(' ');
  const firstName = claimText(identity.givenName) ?? claimText(nameFirst) ?? email.split('@')[0]!.slice(0, 100);
  const lastName = claimText(identity.familyName) ?? claimText(nameRest.join(' ')) ?? '';
  return { firstName, middleName: null, lastName, profilePicture: httpsPicture(identity.picture) };
}

function claimText(value: string | undefined): string | undefined {
  const cleaned = value
    ?.replace(/\p{Cc}/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 100);
  return cleaned ? cleaned : undefined;
}

function httpsPicture(value: string | undefined): string | null {
  if (!value || value.length > 2048 || !URL.canParse(value)) return null;
  return new URL(value).protocol === 'https:' ? value : null;
}

/** Where a started login sends the browser back (allow-listed when it began), or null. */
export function redirectOfLogin(pending: unknown): string | null {
  return isPendingLogin(pending) ? pending.redirectTo : null;
}

function isPendingLogin(value: unknown): value is PendingGoogleLogin {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.state === 'string' &&
    typeof v.nonce === 'string' &&
    typeof v.codeVerifier === 'string' &&
    typeof v.expiresAt === 'number' &&
    (v.redirectTo === null || typeof v.redirectTo === 'string')
  );
}
