import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { renderedSecrets } from './support/env.js';
import { FakeKubeApi } from './support/fake-kube-api.js';
import { ofKind, render, renderAsync, renderFailure } from './support/render.js';
import { TEST_SECRETS, testSigningKey } from './support/variants.js';

const PLATFORM_KEYS = ['jwt-private-key.pem', 'session-keys', 'service-token', 'password-pepper', 'webhook-secret-key'];
const MYSQL_KEYS = ['mysql-root-password', 'mysql-password'];
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('generated secrets where Helm cannot read the cluster (helm template, Argo CD)', function () {
  this.timeout(60_000);

  it('rendering fails and says how to supply the platform secrets instead of generating new ones', () => {
    const { status, message } = renderFailure({ values: { mysql: { auth: { existingSecret: 'db' } } } });
    assert.notEqual(status, 0);
    assert.match(message, /cannot read the cluster/);
    assert.match(message, /secrets\.existingSecret/);
    assert.match(
      message,
      /secrets\.jwtPrivateKey, secrets\.sessionKeys, secrets\.serviceToken, secrets\.passwordPepper and secrets\.webhookSecretKey/,
    );
  });

  it("rendering fails and says how to supply the bundled MySQL's passwords instead of generating new ones", () => {
    const { status, message } = renderFailure({ values: { secrets: { existingSecret: 'platform' } } });
    assert.notEqual(status, 0);
    assert.match(message, /MySQL Secret key "mysql-root-password"/);
    assert.match(message, /auth\.existingSecret/);
  });

  it('existing Secrets render, and the chart then creates no Secret at all', () => {
    const objects = render({ values: { secrets: { existingSecret: 'platform' }, mysql: { auth: { existingSecret: 'db' } } } });
    assert.deepEqual(ofKind(objects, 'Secret'), []);
  });

  it('explicit values render into the Secrets as given', () => {
    const secrets = renderedSecrets(
      render({ values: { secrets: TEST_SECRETS, mysql: { auth: { rootPassword: 'root-pass', password: 'app-pass' } } } }),
    );
    assert.equal(secrets['mp-merchant-platform']!['password-pepper'], TEST_SECRETS.passwordPepper);
    assert.equal(secrets['mp-merchant-platform']!['jwt-private-key.pem'], testSigningKey);
    assert.deepEqual(secrets['mp-mysql'], { 'mysql-root-password': 'root-pass', 'mysql-password': 'app-pass' });
  });
});

describe('generated secrets against a cluster (helm install and upgrade)', function () {
  this.timeout(120_000);
  let api: FakeKubeApi;

  before(async () => {
    api = await FakeKubeApi.start();
  });
  after(async () => {
    await api?.stop();
  });

  it('the first install, in a namespace that does not exist yet, generates every secret', async () => {
    const secrets = renderedSecrets(await renderAsync({ kubeconfig: api.kubeconfig, namespace: 'fresh' }));
    const platform = secrets['mp-merchant-platform']!;
    assert.deepEqual(Object.keys(platform).sort(), [...PLATFORM_KEYS].sort());
    assert.match(platform['jwt-private-key.pem']!, /^-----BEGIN RSA PRIVATE KEY-----/);
    for (const key of ['session-keys', 'service-token', 'password-pepper', 'webhook-secret-key'])
      assert.ok(platform[key]!.length >= 32, key);
    assert.notEqual(platform['webhook-secret-key'], platform['password-pepper']);
    assert.notEqual(platform['service-token'], platform['password-pepper']);
    for (const key of MYSQL_KEYS) assert.ok(secrets['mp-mysql']![key]!.length >= 32, key);
  });

  it('an upgrade keeps every value the live Secrets hold', async () => {
    const live = {
      'jwt-private-key.pem': b64(testSigningKey),
      'session-keys': b64('live-session-key'),
      'service-token': b64('live-service-token'),
      'password-pepper': b64('live-password-pepper'),
      'webhook-secret-key': b64('live-webhook-secret-key'),
    };
    api.secrets.set('shop/mp-merchant-platform', live);
    api.secrets.set('shop/mp-mysql', { 'mysql-root-password': b64('live-root'), 'mysql-password': b64('live-app') });
    const secrets = renderedSecrets(await renderAsync({ kubeconfig: api.kubeconfig }));
    assert.deepEqual(secrets['mp-merchant-platform'], {
      'jwt-private-key.pem': testSigningKey,
      'session-keys': 'live-session-key',
      'service-token': 'live-service-token',
      'password-pepper': 'live-password-pepper',
      'webhook-secret-key': 'live-webhook-secret-key',
    });
    assert.deepEqual(secrets['mp-mysql'], { 'mysql-root-password': 'live-root', 'mysql-password': 'live-app' });
  });

  it('an upgrade from a release without a password pepper generates one and keeps the rest', async () => {
    api.secrets.set('older/mp-merchant-platform', {
      'jwt-private-key.pem': b64(testSigningKey),
      'session-keys': b64('old-session-key'),
      'service-token': b64('old-service-token'),
    });
    const secrets = renderedSecrets(
      await renderAsync({ kubeconfig: api.kubeconfig, namespace: 'older', values: { mysql: { auth: { existingSecret: 'db' } } } }),
    );
    const platform = secrets['mp-merchant-platform']!;
    assert.equal(platform['session-keys'], 'old-session-key');
    assert.equal(platform['service-token'], 'old-service-token');
    assert.ok(platform['password-pepper']!.length >= 32);
    assert.ok(platform['webhook-secret-key']!.length >= 32, 'a release from before webhooks gets a webhook key');
  });
});
