import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { Job } from 'kubernetes-models/batch/v1';
import { containerEnv, renderedSecrets } from './support/env.js';
import { FakeKubeApi } from './support/fake-kube-api.js';
import { ofKind, render, renderAsync, renderFailure } from './support/render.js';
import { testSigningKey, withSecrets } from './support/variants.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const authContainer = (objects: ReturnType<typeof render>) =>
  ofKind(objects, 'Deployment').find((d) => d.metadata.name.endsWith('-auth'))!.spec.template.spec.containers[0];

describe('the chart during a signing-key rotation (platformctl rotate-signing-key)', function () {
  this.timeout(120_000);
  let api: FakeKubeApi;
  before(async () => {
    api = await FakeKubeApi.start();
  });
  after(() => api?.stop());

  it("gives auth the Secret's next and retired public keys, both optional so a Secret without them still starts", () => {
    const objects = render({ values: withSecrets({}) });
    const env = authContainer(objects).env as { name: string; valueFrom?: { secretKeyRef?: Record<string, unknown> } }[];
    for (const [name, key] of [
      ['JWT_NEXT_PUBLIC_KEY', 'jwt-next-public-key.pem'],
      ['JWT_RETIRED_PUBLIC_KEYS', 'jwt-retired-public-keys.pem'],
    ]) {
      assert.deepEqual(
        env.find((e) => e.name === name)?.valueFrom?.secretKeyRef,
        { name: 'mp-merchant-platform', key, optional: true },
        name,
      );
    }
    const resolved = containerEnv(authContainer(objects), renderedSecrets(objects));
    assert.equal(resolved.JWT_NEXT_PUBLIC_KEY, undefined);
  });

  it('keeps the values of jwt.retiredPublicKeys when they are set (keys rotated by hand)', () => {
    const env = authContainer(
      render({ values: withSecrets({ jwt: { retiredPublicKeys: ['-----BEGIN PUBLIC KEY-----\nx\n-----END PUBLIC KEY-----'] } }) }),
    ).env;
    assert.match(env.find((e: { name: string }) => e.name === 'JWT_RETIRED_PUBLIC_KEYS').value, /BEGIN PUBLIC KEY/);
  });

  it('an upgrade in the middle of a rotation keeps the next and retired keys the CLI put in the Secret', async () => {
    api.secrets.set('shop/mp-merchant-platform', {
      'jwt-private-key.pem': b64(testSigningKey),
      'session-keys': b64('live-session-key'),
      'service-token': b64('live-service-token'),
      'password-pepper': b64('live-password-pepper'),
      'jwt-next-private-key.pem': b64('next-private'),
      'jwt-next-public-key.pem': b64('next-public'),
      'jwt-retired-public-keys.pem': b64('retired-public'),
    });
    const secrets = renderedSecrets(await renderAsync({ kubeconfig: api.kubeconfig }));
    const platform = secrets['mp-merchant-platform']!;
    assert.equal(platform['jwt-next-private-key.pem'], 'next-private');
    assert.equal(platform['jwt-next-public-key.pem'], 'next-public');
    assert.equal(platform['jwt-retired-public-keys.pem'], 'retired-public');
    assert.equal(platform['jwt-private-key.pem'], testSigningKey);
  });
});

describe('the seed import Job (seedImport.enabled)', function () {
  this.timeout(120_000);

  it('is off by default', () => {
    assert.equal(
      ofKind(render({ values: withSecrets({}), hooks: true }), 'Job').filter((j) => j.metadata.name.endsWith('-seed-import')).length,
      0,
    );
  });

  it("runs auth's import once after an install or upgrade, reading the old database's URL from a Secret, and validates as a Job", () => {
    const objects = render({ values: withSecrets({ seedImport: { enabled: true, sourceSecret: 'old-db' } }), hooks: true });
    const job = ofKind(objects, 'Job').find((j) => j.metadata.name === 'mp-merchant-platform-auth-seed-import')!;
    assert.ok(job, 'the Job is rendered');
    new Job(job as never).validate();
    assert.equal(job.metadata.annotations!['helm.sh/hook'], 'post-install,post-upgrade');
    const container = job.spec.template.spec.containers[0];
    assert.deepEqual(container.command, ['node', 'services/auth/dist/cli/import-seed.js', '--from', '$(SEED_SOURCE_URL)']);
    assert.deepEqual(container.env.find((e: { name: string }) => e.name === 'SEED_SOURCE_URL').valueFrom, {
      secretKeyRef: { name: 'old-db', key: 'url' },
    });
    assert.ok(container.env.some((e: { name: string }) => e.name === 'DATABASE_URL'));
    assert.equal(container.securityContext.readOnlyRootFilesystem, true);
    const dry = render({ values: withSecrets({ seedImport: { enabled: true, sourceSecret: 'old-db', dryRun: true } }), hooks: true });
    assert.equal(
      ofKind(dry, 'Job')
        .find((j) => j.metadata.name.endsWith('-seed-import'))!
        .spec.template.spec.containers[0].command.at(-1),
      '--dry-run',
    );
  });

  it('refuses to render without the Secret holding the source URL', () => {
    const { status, message } = renderFailure({ values: withSecrets({ seedImport: { enabled: true } }) });
    assert.notEqual(status, 0);
    assert.match(message, /seedImport\.sourceSecret is required when seedImport\.enabled is true/);
  });
});
