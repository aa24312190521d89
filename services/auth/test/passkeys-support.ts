import assert from 'node:assert/strict';
import type { JsonResponse } from '@merchant-platform/common/testing/http-server';
import { SoftwareAuthenticator, type Knobs } from '@merchant-platform/common/testing/webauthn-authenticator';
import { DEFAULT_SETTINGS, type AuthHarness } from './support.js';

/** The page origin the test browser is on: the one origin DEFAULT_SETTINGS allows. */
export const ORIGIN = DEFAULT_SETTINGS.WEBAUTHN_ORIGINS[0]!;

export const newAuthenticator = () => new SoftwareAuthenticator(ORIGIN);

/** Asks for creation options as `access`'s user and answers them with `authenticator`. */
export async function registerPasskey(
  auth: AuthHarness,
  access: string,
  authenticator: SoftwareAuthenticator,
  knobs: Knobs = {},
  name?: string,
): Promise<JsonResponse> {
  const options = await auth.call('POST', '/auth/passkeys/registration/options', { token: access });
  assert.equal(options.status, 200, options.text);
  const response = authenticator.createCredential(options.body, knobs);
  return auth.call('POST', '/auth/passkeys/registration', { token: access, json: { ...(name ? { name } : {}), response } });
}

/** A verified user with one registered passkey on their own authenticator. */
export async function passkeyUser(auth: AuthHarness, email: string) {
  const user = await auth.verifiedUser(email);
  const authenticator = newAuthenticator();
  const registered = await registerPasskey(auth, user.access, authenticator);
  assert.equal(registered.status, 201, registered.text);
  return { ...user, authenticator, factor: registered.body.factor as { id: string } };
}

export async function signInOptions(
  auth: AuthHarness,
  email?: string,
): Promise<{ challenge_id: string; options: { challenge: string; allowCredentials?: { id: string }[] } }> {
  const res = await auth.call('POST', '/auth/passkeys/authentication/options', { json: email === undefined ? {} : { email } });
  assert.equal(res.status, 200, res.text);
  return res.body;
}

/** The whole passwordless sign-in: options (optionally for an email), an assertion, the token request. */
export async function signInWithPasskey(
  auth: AuthHarness,
  authenticator: SoftwareAuthenticator,
  input: { email?: string; knobs?: Knobs } = {},
) {
  const { challenge_id, options } = await signInOptions(auth, input.email);
  const response = authenticator.getAssertion(options, input.knobs);
  return auth.call('POST', '/auth/passkeys/authentication', { json: { challenge_id, response } });
}
