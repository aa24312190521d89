import { presentCredential, type ServiceCredential } from '../service-auth/service-credential.js';
import type { DeliveredEvent } from './event.js';
import type { EventTransport } from './transport.js';

export interface HttpEventTransportOptions {
  /** Base URL per consumer, e.g. `{ merchants: 'http://merchants:8080' }`. */
  consumers: Record<string, string>;
  /** What this service presents, as it does to the email service; or one per consumer (each its own token audience). */
  credential?: ServiceCredential;
  credentials?: Record<string, ServiceCredential>;
  timeoutMs?: number;
}

/** Delivers to the consumer's `POST /internal/events`; only a 2xx counts as delivered. */
export class HttpEventTransport implements EventTransport {
  constructor(private readonly options: HttpEventTransportOptions) {}

  async deliver(consumer: string, event: DeliveredEvent): Promise<void> {
    const baseUrl = this.options.consumers[consumer];
    const credential = this.options.credentials?.[consumer] ?? this.options.credential;
    if (!baseUrl || !credential) throw new Error(`no URL or credential configured for the ${consumer} service`);
    const response = await fetch(new URL('/internal/events', baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await presentCredential(credential)}` },
      body: JSON.stringify(event),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
    });
    await response.body?.cancel();
    if (response.status < 200 || response.status > 299) throw new Error(`${consumer} answered ${response.status}`);
  }
}
