import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import type { FakeKubernetesApi } from '@merchant-platform/common/testing/fake-kubernetes-api';
import { COMPONENTS, NAMESPACE, PATHS, platformctl, RELEASE, startFakeRelease, SIGNING_KEY_PEM } from './fake-release.js';

const SECRET = `${RELEASE}-merchant-platform`;
const PHASE = 'merchant-platform.io/signing-key-rotation';
const PHASE_AT = 'merchant-platform.io/signing-key-rotation-at';
const pem = (base64: string) => Buffer.from(base64, 'base64').toString('utf8');
const publicPemOf = (privatePem: string) => createPublicKey(privatePem).export({ type: 'spki', format: 'pem' }).toString();

describe('platformctl rotate-signing-key (against the fake API server)', function () {
  this.timeout(60_000);
  let kube: FakeKubernetesApi;
  let dir: string;
  let env: Record<string, string>;
  const rotate = (extra: string[] = []) => platformctl(['rotate-signing-key', '-n', NAMESPACE, '--release', RELEASE, ...extra], env);
  const secret = () => kube.objects.get(PATHS.secrets, SECRET)!;
  /** Records the last phase as run `seconds` ago, as if the operator had waited that long. */
  const waited = (seconds: number) =>
    kube.objects.patch(PATHS.secrets, SECRET, {
      metadata: { annotations: { [PHASE_AT]: new Date(Date.now() - seconds * 1000).toISOString() } },
    });

  let release: Awaited<ReturnType<typeof startFakeRelease>>;
  beforeEach(async () => {
    release = await startFakeRelease();
    ({ kube, dir, env } = release);
  });
  afterEach(() => release.close());

  it('runs the three phases in order, each patching the Secret and restarting every Deployment, and refuses a phase before its wait', async () => {
    // Phase 1: a next key is published; the current one keeps signing.
    const one = await rotate();
    assert.equal(one.code, 0, one.err);
    assert.match(one.out, /^Phase 1 of 3: a new key is published in the JWKS as next; the current key keeps signing\.$/m);
    const [secretPatch, ...restarts] = kube.changes();
    assert.equal(secretPatch!.method, 'PATCH');
    assert.equal(secretPatch!.path, `${PATHS.secrets}/${SECRET}`);
    assert.equal(secretPatch!.contentType, 'application/merge-patch+json');
    const afterOne = secret();
    assert.equal(pem(afterOne.data['jwt-private-key.pem']), SIGNING_KEY_PEM, 'the current key still signs');
    const nextPrivate = pem(afterOne.data['jwt-next-private-key.pem']);
    assert.equal(pem(afterOne.data['jwt-next-public-key.pem']), publicPemOf(nextPrivate));
    assert.equal(afterOne.metadata.annotations![PHASE], 'next-published');
    assert.deepEqual(
      restarts.map((r) => [r.method, r.path, r.contentType]),
      COMPONENTS.map((c) => ['PATCH', `${PATHS.deployments}/${RELEASE}-merchant-platform-${c}`, 'application/merge-patch+json']),
    );
    for (const c of COMPONENTS) {
      const annotations = kube.objects.get(PATHS.deployments, `${RELEASE}-merchant-platform-${c}`)!.spec.template.metadata.annotations;
      assert.match(annotations['kubectl.kubernetes.io/restartedAt'], /^\d{4}-\d\d-\d\dT/);
      assert.equal(annotations['checksum/config'], 'abc', 'the restart keeps the other annotations');
    }
    assert.ok(!JSON.stringify({ out: one.out, err: one.err }).includes('PRIVATE KEY'), 'no key is printed');

    // Too early for phase 2: nothing changes, and it says when.
    const early = await rotate();
    assert.equal(early.code, 75);
    assert.match(
      early.err,
      /The next phase cannot run yet: every verifier must have fetched the JWKS with the next key \(the JWKS cache time\)\. Run again after \d{4}-/,
    );
    assert.equal(kube.changes().length, 4);

    // Phase 2: the next key signs, the old one stays published as retired.
    waited(600);
    const two = await rotate();
    assert.equal(two.code, 0, two.err);
    const afterTwo = secret();
    assert.equal(pem(afterTwo.data['jwt-private-key.pem']), nextPrivate);
    assert.equal(pem(afterTwo.data['jwt-retired-public-keys.pem']), publicPemOf(SIGNING_KEY_PEM));
    assert.equal(afterTwo.data['jwt-next-private-key.pem'], undefined);
    assert.equal(afterTwo.data['jwt-next-public-key.pem'], undefined);
    assert.equal(kube.changes().length, 8, 'the Secret and three restarts again');

    const early3 = await rotate();
    assert.equal(early3.code, 75);
    assert.match(early3.err, /the access-token lifetime/);

    // Phase 3: after the access-token lifetime (900 s from auth's Deployment) and the 30 s clock leeway, the old key is retired.
    waited(900);
    assert.equal((await rotate()).code, 75, 'the lifetime alone is not enough: verifiers allow 30 s past exp');
    waited(930);
    const three = await rotate();
    assert.equal(three.code, 0, three.err);
    assert.match(three.out, /Rotation complete\./);
    const afterThree = secret();
    assert.equal(afterThree.data['jwt-retired-public-keys.pem'], undefined);
    assert.equal(afterThree.metadata.annotations?.[PHASE], undefined);
    assert.equal(pem(afterThree.data['jwt-private-key.pem']), nextPrivate);
    assert.equal(afterThree.data['session-keys'], Buffer.from('s').toString('base64'), 'other keys are untouched');
    assert.equal(kube.changes().length, 12);
  });

  it('--dry-run says what phase 1 would change and changes nothing', async () => {
    const run = await rotate(['--dry-run']);
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /Secret mp-merchant-platform: set jwt-next-private-key\.pem/);
    assert.match(
      run.out,
      /Dry run: nothing changed; 3 Deployment\(s\) would restart: mp-merchant-platform-auth, mp-merchant-platform-merchants, mp-merchant-platform-email\./,
    );
    assert.deepEqual(kube.changes(), []);
  });

  it('says which permission RBAC refused (exit 77) and changes nothing more', async () => {
    kube.forbid('PATCH', PATHS.secrets);
    const run = await rotate();
    assert.equal(run.code, 77);
    assert.match(run.err, /Forbidden: your account may not patch secret mp-merchant-platform in namespace shop \(RBAC\)/);
    assert.equal(secret().data['jwt-next-public-key.pem'], undefined);
    assert.equal(kube.changes().filter((r) => r.path.startsWith(PATHS.deployments)).length, 0, 'no restart after a refused patch');
  });

  it('says the release was not found (exit 66) and that there is no kubeconfig (exit 78)', async () => {
    const other = await platformctl(['rotate-signing-key', '-n', NAMESPACE, '--release', 'other'], env);
    assert.equal(other.code, 66);
    assert.match(other.err, /Release "other" not found in namespace shop/);
    const none = await platformctl(['rotate-signing-key'], { HOME: dir });
    assert.equal(none.code, 78);
    assert.match(none.err, /No kubeconfig/);
  });
});
