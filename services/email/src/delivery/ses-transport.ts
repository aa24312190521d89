import type { SendEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { DeliveryError, type MailTransport, type RenderedEmail } from '../domain/email.js';
import { createSesClient, type SesClientSettings } from './ses-client.js';

/** SES error names that mean "slow down", not "no": retried with back-off. */
const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  'LimitExceededException',
]);

/**
 * Sends the rendered message with SES `SendEmail` (the service renders; SES only delivers).
 * The AWS SDK is loaded with the first send: it is a fifth of the email service's start-up and
 * memory, and a replica that never sends (or sends to the log) never needs it.
 */
export class SesTransport implements MailTransport {
  readonly name = 'ses';
  private sdk: Promise<{ client: SESClient; SendEmailCommand: typeof SendEmailCommand }> | undefined;

  constructor(
    private readonly settings: SesClientSettings,
    private readonly options: { from: string; configurationSet?: string | undefined },
  ) {}

  private loadSdk() {
    this.sdk ??= createSesClient(this.settings).then(async (client) => ({
      client,
      SendEmailCommand: (await import('@aws-sdk/client-ses')).SendEmailCommand,
    }));
    return this.sdk;
  }

  async send(email: RenderedEmail, context: { emailId: string; template: string }): Promise<{ messageId: string }> {
    const { client, SendEmailCommand } = await this.loadSdk();
    const command = new SendEmailCommand({
      Source: this.options.from,
      Destination: { ToAddresses: [email.to] },
      Message: {
        Subject: { Data: email.subject, Charset: 'UTF-8' },
        Body: { Text: { Data: email.text, Charset: 'UTF-8' }, Html: { Data: email.html, Charset: 'UTF-8' } },
      },
      ...(this.options.configurationSet ? { ConfigurationSetName: this.options.configurationSet } : {}),
      // Lets a configuration set's event destinations break bounces and complaints down by template.
      Tags: [{ Name: 'template', Value: context.template }],
    });
    let messageId: string | undefined;
    try {
      ({ MessageId: messageId } = await client.send(command));
    } catch (error) {
      throw classifySesError(error);
    }
    if (!messageId) throw new DeliveryError('SES answered without a MessageId', true);
    return { messageId };
  }
}

/** Network errors raised before a connection existed: the request never reached SES. */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Throttling, 5xx and no answer at all (refused, reset, timed out) are retryable; any other
 * answer (MessageRejected, an unverified sender, an invalid address or parameter) is final.
 * Only a request that left without an answer coming back (a timeout, a reset) may have been
 * delivered anyway.
 */
function classifySesError(error: unknown): DeliveryError {
  const e = (error ?? {}) as { name?: string; code?: string; message?: string; $fault?: string; $metadata?: { httpStatusCode?: number } };
  const name = e.name ?? 'Error';
  const label = `${name}: ${e.message ?? 'no message'}`;
  const status = e.$metadata?.httpStatusCode;
  if (THROTTLING.has(name) || status === 429) return new DeliveryError(label, true);
  if (status === undefined) return new DeliveryError(`no answer from SES: ${label}`, true, !NEVER_CONNECTED.has(e.code ?? ''));
  if (status >= 500 || e.$fault === 'server') return new DeliveryError(label, true);
  return new DeliveryError(label, false);
}
