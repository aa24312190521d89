import { request } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { ResolvedAddress } from '../domain/webhooks/target-policy.js';
import type { WebhookPost, WebhookSender } from '../domain/webhooks/webhook-sender.js';

/** At most this much of an answer is read; the rest is dropped with the connection. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * POSTs a signed event over HTTPS to the address the target policy checked, and only there: the
 * socket's `lookup` answers with that address whatever the name resolves to now, while TLS still
 * verifies the certificate against the URL's host name. Redirects are not followed (a 3xx is a
 * failed attempt), and the whole exchange, reading at most 64 KiB of the answer, must end within
 * `timeoutMs`.
 */
export class HttpsWebhookSender implements WebhookSender {
  constructor(private readonly timeoutMs: number) {}

  send(post: WebhookPost, pinned: ResolvedAddress): Promise<{ status: number }> {
    const lookup: LookupFunction = (_hostname, options, callback) => {
      if (options.all) callback(null, [pinned]);
      else callback(null, pinned.address, pinned.family);
    };
    return new Promise((resolve, reject) => {
      const req = request(
        post.url,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'merchant-platform-webhooks/1', ...post.headers },
          lookup,
          agent: false,
          signal: AbortSignal.timeout(this.timeoutMs),
        },
        (res) => {
          let read = 0;
          res.on('data', (chunk: Buffer) => {
            read += chunk.length;
            // Enough: the status is what counts, and a huge answer must not hold the dispatcher.
            if (read >= MAX_RESPONSE_BYTES) {
              res.destroy();
              resolve({ status: res.statusCode ?? 0 });
            }
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
          res.on('error', reject);
        },
      );
      req.on('error', (error) => reject(error.name === 'AbortError' ? new Error(`no answer within ${this.timeoutMs} ms`) : error));
      req.end(post.body);
    });
  }
}
