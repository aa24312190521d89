import { randomBytes } from 'node:crypto';

/** A Standard Webhooks secret: `whsec_` + base64 of 32 random bytes (the signing key is the decoded bytes). */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;
