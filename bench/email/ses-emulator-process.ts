/**
 * The SES emulator (`aws-ses-v2-local`) as its own process on PORT, so what it costs does not
 * count against the harness's load generator. `GET /store` answers once it listens.
 */
import type { Server } from 'node:http';
import startEmulator from 'aws-ses-v2-local';

type Start = (config: { host: string; port: number }) => Promise<Server>;
const start: Start = ((startEmulator as unknown as { default?: Start }).default ?? startEmulator) as Start;

await start({ host: '127.0.0.1', port: Number(process.env.PORT) });
