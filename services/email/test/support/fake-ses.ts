import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A FAKE SES (v1 query API) endpoint for the answers the emulator never gives: what it says
 * depends on the recipient's local part, so one fake serves every case.
 *   reject-*       400 MessageRejected (a permanent rejection)
 *   throttle-once-* 400 Throttling the first time, then accepted
 *   server-error-* 500 InternalFailure, always
 *   slow-*         accepted after 400 ms
 *   hang-once-*    no answer the first time (the client times out), then accepted
 *   anything else  accepted
 */
export class FakeSes {
  readonly requests: { to: string; action: string }[] = [];
  readonly accepted: string[] = [];
  private readonly throttled = new Set<string>();
  private readonly hung = new Set<string>();

  private readonly server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => this.answer(new URLSearchParams(body), res));
  });

  static async start(): Promise<FakeSes> {
    const fake = new FakeSes();
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(params: URLSearchParams, res: ServerResponse) {
    const to = params.get('Destination.ToAddresses.member.1') ?? '';
    this.requests.push({ to, action: params.get('Action') ?? '' });
    const error = (status: number, type: string, code: string, message: string) => {
      res.writeHead(status, { 'content-type': 'text/xml' });
      res.end(
        `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>${type}</Type><Code>${code}</Code>` +
          `<Message>${message}</Message></Error><RequestId>fake-request</RequestId></ErrorResponse>`,
      );
    };
    if (to.startsWith('reject-')) return error(400, 'Sender', 'MessageRejected', 'Email address is not verified.');
    if (to.startsWith('server-error-')) return error(500, 'Receiver', 'InternalFailure', 'The request processing has failed.');
    if (to.startsWith('throttle-once-') && !this.throttled.has(to)) {
      this.throttled.add(to);
      return error(400, 'Sender', 'Throttling', 'Maximum sending rate exceeded.');
    }
    if (to.startsWith('hang-once-') && !this.hung.has(to)) {
      this.hung.add(to);
      return; // The connection stays open and silent until the client gives up.
    }
    const accept = () => {
      const messageId = `fake-${this.accepted.length + 1}`;
      this.accepted.push(to);
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        `<SendEmailResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><SendEmailResult><MessageId>${messageId}</MessageId>` +
          `</SendEmailResult><ResponseMetadata><RequestId>fake-request</RequestId></ResponseMetadata></SendEmailResponse>`,
      );
    };
    if (to.startsWith('slow-')) setTimeout(accept, 400);
    else accept();
  }
}
