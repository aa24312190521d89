import { presentCredential, type ServiceCredential } from './service-auth/service-credential.js';

export interface EmailClientOptions {
  /** Base URL of the email service, e.g. http://email:8080 */
  baseUrl: string;
  credential: ServiceCredential;
  timeoutMs?: number;
  attempts?: number;
}

/** What a caller asks the email service to send: a template and its data, never rendered text. */
export interface EmailClientMail {
  to: string;
  template: string;
  data: Record<string, string>;
  /** The same key twice sends one mail, so a retried hand-over never sends two. */
  idempotencyKey: string;
}

/**
 * Hands mail to the email service's outbox (`POST /emails`), for every service that sends mail
 * (auth's relay, merchants' invitations). Retries are safe because the idempotency key makes
 * the outbox accept each mail once; a 4xx is final (our bug, not theirs).
 */
export class HttpEmailClient {
  constructor(private readonly options: EmailClientOptions) {}

  async send(mail: EmailClientMail): Promise<void> {
    const attempts = this.options.attempts ?? 3;
    let lastError: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const response = await fetch(new URL('/emails', this.options.baseUrl), {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await presentCredential(this.options.credential)}` },
          body: JSON.stringify({ to: mail.to, template: mail.template, data: mail.data, idempotency_key: mail.idempotencyKey }),
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 2_000),
        });
        if (response.status === 202) return;
        lastError = new Error(`email service answered ${response.status}`);
        if (response.status < 500 && response.status !== 429) break;
      } catch (error) {
        lastError = error;
      }
      if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
    throw lastError;
  }
}
