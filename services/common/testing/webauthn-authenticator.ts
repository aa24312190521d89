import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { encode as encodeCbor } from 'cborg';

/**
 * A software WebAuthn authenticator plus the browser's part of the ceremony: it takes the
 * options JSON a relying party hands out and returns the RegistrationResponseJSON /
 * AuthenticationResponseJSON a browser would post back. ES256 keys from node:crypto, "none"
 * attestation, discoverable credentials (the user handle comes back on sign-in), a sign counter
 * per credential. Knobs break one thing at a time, so tests can show each check is made.
 */

/** The parts of PublicKeyCredentialCreationOptionsJSON an authenticator reads. */
export interface CreationOptionsJSON {
  challenge: string;
  rp: { id?: string; name: string };
  user: { id: string; name: string; displayName: string };
  excludeCredentials?: { id: string }[];
}

/** The parts of PublicKeyCredentialRequestOptionsJSON an authenticator reads. */
export interface RequestOptionsJSON {
  challenge: string;
  rpId?: string;
  allowCredentials?: { id: string }[];
}

/** What `PublicKeyCredential.toJSON()` gives, around the ceremony's own `response`. */
export interface PublicKeyCredentialJSON<R> {
  id: string;
  rawId: string;
  type: 'public-key';
  response: R;
  authenticatorAttachment: 'platform';
  clientExtensionResults: Record<string, never>;
}

export type RegistrationResponseJSON = PublicKeyCredentialJSON<{
  clientDataJSON: string;
  attestationObject: string;
  transports: string[];
  publicKeyAlgorithm: number;
}>;

export type AuthenticationResponseJSON = PublicKeyCredentialJSON<{
  clientDataJSON: string;
  authenticatorData: string;
  signature: string;
  userHandle?: string;
}>;

const publicKeyCredential = <R>(id: string, response: R): PublicKeyCredentialJSON<R> => ({
  id,
  rawId: id,
  type: 'public-key',
  response,
  authenticatorAttachment: 'platform',
  clientExtensionResults: {},
});

/** Ways to break a response (each defaults to an honest authenticator and browser). */
export interface Knobs {
  /** The origin the browser writes into clientDataJSON. */
  origin?: string;
  /** The RP id whose hash goes into authenticatorData (a phishing site's, say). */
  rpId?: string;
  /** The challenge the browser writes into clientDataJSON. */
  challenge?: string;
  /** false: the user was not verified (no PIN or biometrics), only present. */
  userVerified?: boolean;
  /** A sign counter to report instead of the next one (a rollback, a clone). */
  counter?: number;
  /** Changes authenticatorData after signing, so the signature no longer matches. */
  tamper?: boolean;
  /** Which credential answers a discoverable request (default: the newest for the RP id). */
  credentialId?: string;
}

interface Credential {
  id: string;
  rpId: string;
  userHandle: string;
  privateKey: KeyObject;
  counter: number;
}

const FLAG_USER_PRESENT = 0x01;
const FLAG_USER_VERIFIED = 0x04;
const FLAG_ATTESTED_CREDENTIAL = 0x40;
const COSE_ES256 = -7;

// cborg writes plain CBOR maps and byte strings, as WebAuthn expects, with no native add-on to install.
const cbor = { encode: (value: unknown) => Buffer.from(encodeCbor(value)) };

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();
const uint32 = (value: number) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out;
};

export class SoftwareAuthenticator {
  private readonly credentials: Credential[] = [];

  /** `origin`: the page the browser is on, e.g. `http://localhost:8080`. */
  constructor(readonly origin: string) {}

  /** navigator.credentials.create(): a new discoverable ES256 credential for the options' RP and user. */
  createCredential(options: CreationOptionsJSON, knobs: Knobs = {}): RegistrationResponseJSON {
    const rpId = options.rp.id ?? new URL(this.origin).hostname;
    const excluded = new Set((options.excludeCredentials ?? []).map((c) => c.id));
    if (this.credentials.some((c) => excluded.has(c.id)))
      throw new Error('InvalidStateError: this authenticator already holds an excluded credential');
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const credential: Credential = { id: b64url(randomBytes(32)), rpId, userHandle: options.user.id, privateKey, counter: 0 };
    this.credentials.push(credential);

    const clientDataJSON = this.clientData('webauthn.create', options.challenge, knobs);
    const attestedCredential = Buffer.concat([
      Buffer.alloc(16), // AAGUID: zeros, as "none" attestation allows
      Buffer.from([0, 32]),
      Buffer.from(credential.id, 'base64url'),
      coseKey(publicKey),
    ]);
    const authData = this.authenticatorData(knobs.rpId ?? rpId, knobs, FLAG_ATTESTED_CREDENTIAL, credential.counter, attestedCredential);
    return publicKeyCredential(credential.id, {
      clientDataJSON: b64url(clientDataJSON),
      attestationObject: b64url(cbor.encode({ fmt: 'none', attStmt: {}, authData })),
      transports: ['internal'],
      publicKeyAlgorithm: COSE_ES256,
    });
  }

  /** navigator.credentials.get(): an assertion by an allowed credential, or any of the RP's (discoverable). */
  getAssertion(options: RequestOptionsJSON, knobs: Knobs = {}): AuthenticationResponseJSON {
    const credential = this.pick(options, knobs);
    credential.counter = knobs.counter ?? credential.counter + 1;
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, knobs);
    const authData = this.authenticatorData(knobs.rpId ?? credential.rpId, knobs, 0, credential.counter);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), credential.privateKey);
    if (knobs.tamper) authData[authData.length - 1]! ^= 0x01;
    return publicKeyCredential(credential.id, {
      clientDataJSON: b64url(clientDataJSON),
      authenticatorData: b64url(authData),
      signature: b64url(signature),
      userHandle: credential.userHandle,
    });
  }

  /** The ids of the credentials this authenticator holds, oldest first. */
  get credentialIds(): string[] {
    return this.credentials.map((c) => c.id);
  }

  private pick(options: RequestOptionsJSON, knobs: Knobs): Credential {
    const rpId = options.rpId ?? new URL(this.origin).hostname;
    const allowed = new Set((options.allowCredentials ?? []).map((c) => c.id));
    const candidates = this.credentials.filter(
      (c) => c.rpId === rpId && (allowed.size === 0 || allowed.has(c.id)) && (!knobs.credentialId || c.id === knobs.credentialId),
    );
    const credential = candidates.at(-1);
    if (!credential) throw new Error(`NotAllowedError: no credential for ${rpId} matches the request`);
    return credential;
  }

  private clientData(type: 'webauthn.create' | 'webauthn.get', challenge: string, knobs: Knobs): Buffer {
    return Buffer.from(
      JSON.stringify({ type, challenge: knobs.challenge ?? challenge, origin: knobs.origin ?? this.origin, crossOrigin: false }),
    );
  }

  private authenticatorData(rpId: string, knobs: Knobs, extraFlags: number, counter: number, attested?: Buffer): Buffer {
    const flags = FLAG_USER_PRESENT | (knobs.userVerified === false ? 0 : FLAG_USER_VERIFIED) | extraFlags;
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), uint32(counter), ...(attested ? [attested] : [])]);
  }
}

/** An EC2 P-256 public key as a COSE_Key map (RFC 9053): kty 2, alg -7, crv 1, x, y. */
function coseKey(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  return cbor.encode(
    new Map<number, number | Buffer>([
      [1, 2],
      [3, COSE_ES256],
      [-1, 1],
      [-2, Buffer.from(jwk.x!, 'base64url')],
      [-3, Buffer.from(jwk.y!, 'base64url')],
    ]),
  );
}
