import { VerifyEmailIdentityCommand, type SESClient } from '@aws-sdk/client-ses';
import { z } from 'zod';
import { cliArguments, EX_CONFIG, EX_UNAVAILABLE, EX_USAGE, loadCliConfig, type CliIo } from '@merchant-platform/common/cli';
import { email } from '@merchant-platform/common/fields';
import { createSesClient } from '../delivery/ses-client.js';

const cliConfigSchema = z.object({
  AWS_REGION: z.string().min(1),
  SES_ENDPOINT: z.url().optional(),
  SES_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
});

const USAGE = 'usage: npm run email:verify-identity -- <address>';

/**
 * `npm run email:verify-identity -- <address>`: asks SES to verify a sender address (SES v1
 * `VerifyEmailIdentity`; AWS mails a confirmation link to it). Resolves with the exit code.
 */
export async function runVerifyIdentity(io: CliIo): Promise<number> {
  const args = cliArguments(io);
  const address = args.length === 1 ? email.safeParse(args[0]) : undefined;
  if (!address?.success) {
    io.err(USAGE);
    return EX_USAGE;
  }
  const config = loadCliConfig(cliConfigSchema, io);
  if (!config) return EX_CONFIG;
  const client: SESClient = await createSesClient({
    region: config.AWS_REGION,
    endpoint: config.SES_ENDPOINT,
    timeoutMs: config.SES_TIMEOUT_MS,
  });
  try {
    await client.send(new VerifyEmailIdentityCommand({ EmailAddress: address.data }));
  } catch (error) {
    const e = error as { name?: string; message?: string };
    io.err(`SES refused to start verifying ${address.data}: ${e.name ?? 'Error'}: ${e.message ?? ''}`);
    return EX_UNAVAILABLE;
  } finally {
    client.destroy();
  }
  io.out(
    `SES is verifying ${address.data} in ${config.AWS_REGION}: it has mailed a confirmation link to that address. ` +
      'Once the link is followed, the address can be EMAIL_FROM.',
  );
  return 0;
}
