import { z } from 'zod';
import { email, text } from '@merchant-platform/common/fields';

/** WebAuthn's binary fields travel as base64url (padding tolerated, as some clients send it). */
const base64url = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, 'must be base64url');

/** Credential ids are at most 1023 bytes (WebAuthn), 1364 characters of base64url. */
const credentialId = base64url(1400);

const credentialCommon = {
  id: credentialId,
  rawId: credentialId,
  type: z.literal('public-key'),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
};

/** The browser's `RegistrationResponseJSON` (what `PublicKeyCredential.toJSON()` gives after `create()`). */
const RegistrationResponse = z.object({
  ...credentialCommon,
  response: z.object({
    clientDataJSON: base64url(8192),
    attestationObject: base64url(32_768),
    authenticatorData: base64url(16_384).optional(),
    // Stored comma-separated, so a transport name is a plain lower-case word.
    transports: z
      .array(
        z
          .string()
          .max(24)
          .regex(/^[a-z-]+$/, 'must be a transport name such as usb or internal'),
      )
      .max(8)
      .optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: base64url(16_384).optional(),
  }),
});

/** The browser's `AuthenticationResponseJSON` (what `PublicKeyCredential.toJSON()` gives after `get()`). */
export const AuthenticationResponse = z.object({
  ...credentialCommon,
  response: z.object({
    clientDataJSON: base64url(8192),
    authenticatorData: base64url(16_384),
    signature: base64url(2048),
    userHandle: base64url(128).optional(),
  }),
});

export const PasskeyRegistrationBody = z.object({ name: text(100).optional(), response: RegistrationResponse });

export const PasskeyOptionsBody = z.object({
  email: email.optional(),
  mfa_token: z.string().min(1).max(128).optional().describe('from a 401 mfa_required: the challenge serves that sign-in’s second step'),
});

export const PasskeyAuthenticationBody = z.object({ challenge_id: z.string().min(1).max(64), response: AuthenticationResponse });

const descriptor = z.object({ id: z.string(), type: z.literal('public-key'), transports: z.array(z.string()).optional() });

/** What the browser passes to `navigator.credentials.create()` (after `PublicKeyCredential.parseCreationOptionsFromJSON`). */
export const CreationOptions = z.object({
  rp: z.object({ name: z.string(), id: z.string().optional() }),
  user: z.object({ id: z.string().describe('base64url user handle'), name: z.string(), displayName: z.string() }),
  challenge: z.string().describe('base64url'),
  pubKeyCredParams: z.array(z.object({ alg: z.number(), type: z.literal('public-key') })),
  timeout: z.number().optional(),
  excludeCredentials: z.array(descriptor).optional(),
  authenticatorSelection: z
    .object({
      authenticatorAttachment: z.string().optional(),
      residentKey: z.string().optional(),
      requireResidentKey: z.boolean().optional(),
      userVerification: z.string().optional(),
    })
    .optional(),
  attestation: z.string().optional(),
  extensions: z.record(z.string(), z.unknown()).optional(),
  hints: z.array(z.string()).optional(),
});

/** What the browser passes to `navigator.credentials.get()` (after `PublicKeyCredential.parseRequestOptionsFromJSON`). */
export const RequestOptions = z.object({
  challenge: z.string().describe('base64url'),
  timeout: z.number().optional(),
  rpId: z.string().optional(),
  allowCredentials: z.array(descriptor).optional(),
  userVerification: z.string().optional(),
  extensions: z.record(z.string(), z.unknown()).optional(),
  hints: z.array(z.string()).optional(),
});

export const PasskeyChallenge = (options: typeof RequestOptions) => z.object({ challenge_id: z.string(), options });
