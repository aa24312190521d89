import type { Server } from 'node:http';
import { freePort } from './ports.js';
import startEmulator from 'aws-ses-v2-local';

// The SES client takes its credentials from the SDK's default chain; the emulator only wants some.
process.env.AWS_ACCESS_KEY_ID ??= 'test-access-key';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test-secret-key';

export interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
}

type Start = (config: { host: string; port: number }) => Promise<Server>;
const start: Start = ((startEmulator as unknown as { default?: Start }).default ?? startEmulator) as Start;

// On Node 20 the SDK warns once per process that its releases after January 2027 need Node 22.
// services/email pins a release that supports Node 20, so for the tests it is noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/**
 * The `aws-ses-v2-local` SES emulator, in this process on a loopback port. Stopping it is how a
 * test makes SES go down; it comes back on the same port. Its store outlives a stop.
 */
export class SesEmulator {
  private server: Server | undefined;

  private constructor(readonly port: number) {}

  static async start(): Promise<SesEmulator> {
    const emulator = new SesEmulator(await freePort());
    await emulator.restart();
    return emulator;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async restart(): Promise<void> {
    this.server = await start({ host: '127.0.0.1', port: this.port });
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async emails(): Promise<StoredEmail[]> {
    const response = await fetch(`${this.endpoint}/store`);
    return ((await response.json()) as { emails: StoredEmail[] }).emails;
  }

  async emailsTo(address: string): Promise<StoredEmail[]> {
    return (await this.emails()).filter((e) => e.destination.to.includes(address));
  }

  async clear(): Promise<void> {
    await fetch(`${this.endpoint}/clear-store`, { method: 'POST' });
  }
}
