import type { ResolvedAddress } from './target-policy.js';

/** One signed POST: the URL (for TLS and the Host header), the exact body, the Standard Webhooks headers. */
export interface WebhookPost {
  url: string;
  body: string;
  headers: Record<string, string>;
}

/** Sends to the checked address only; resolves with the HTTP status, rejects on no answer. */
export interface WebhookSender {
  send(post: WebhookPost, pinned: ResolvedAddress): Promise<{ status: number }>;
}
