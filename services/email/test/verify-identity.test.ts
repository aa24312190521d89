import assert from 'node:assert/strict';
import { SESClient, VerifyEmailIdentityCommand } from '@aws-sdk/client-ses';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { runVerifyIdentity } from '../src/cli/verify-identity-command.js';

// The SES emulator (aws-ses-v2-local) never answers VerifyEmailIdentity (the call hangs until
// the SDK times out), so this one command is tested against aws-sdk-client-mock instead.
describe('npm run email:verify-identity (SES mocked with aws-sdk-client-mock)', () => {
  // Installed in before() and removed in after(): mockClient patches every SESClient in the
  // process, and the other suites must reach the real emulator.
  let ses: AwsClientStub<SESClient>;
  before(() => {
    ses = mockClient(SESClient);
  });
  afterEach(() => ses.reset());
  after(() => ses.restore());

  const run = async (argv: string[], env: Record<string, string> = { AWS_REGION: 'eu-west-1' }) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runVerifyIdentity({ argv, env, out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out, err };
  };

  it('asks SES to verify the normalised address and says what happens next', async () => {
    ses.on(VerifyEmailIdentityCommand).resolves({});
    const result = await run(['--', '  No-Reply@Example.COM ']);
    assert.equal(result.code, 0);
    assert.deepEqual(
      ses.commandCalls(VerifyEmailIdentityCommand).map((call) => call.args[0].input),
      [{ EmailAddress: 'no-reply@example.com' }],
    );
    assert.deepEqual(result.err, []);
    assert.match(result.out[0]!, /^SES is verifying no-reply@example\.com in eu-west-1: it has mailed a confirmation link/);
  });

  it('exits 64 with the usage for a missing or invalid address, without calling SES', async () => {
    for (const argv of [[], ['not-an-address'], ['a@example.com', 'b@example.com']]) {
      const result = await run(argv);
      assert.equal(result.code, 64);
      assert.deepEqual(result.err, ['usage: npm run email:verify-identity -- <address>']);
    }
    assert.equal(ses.calls().length, 0);
  });

  it('exits 78 naming AWS_REGION when it is not set', async () => {
    const result = await run(['a@example.com'], {});
    assert.equal(result.code, 78);
    assert.match(result.err[0]!, /AWS_REGION/);
    assert.equal(ses.calls().length, 0);
  });

  it('exits 69 with SES’s reason when SES refuses', async () => {
    ses.on(VerifyEmailIdentityCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));
    const result = await run(['a@example.com']);
    assert.equal(result.code, 69);
    assert.deepEqual(result.err, ['SES refused to start verifying a@example.com: Throttling: Rate exceeded']);
  });
});
