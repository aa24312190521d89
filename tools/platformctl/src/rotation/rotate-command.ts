import { PatchStrategy, setHeaderOptions, type V1Deployment, type V1Secret } from '@kubernetes/client-node';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Secret } from 'kubernetes-models/v1';
import { EX_USAGE, type CliIo } from '@merchant-platform/common/cli';
import { EXIT_CODES } from '@merchant-platform/common/exit-codes';
import { CLUSTER_HELP, CLUSTER_OPTIONS, parseCommandLine } from '../command-line.js';
import { OperatorError, connect, kubeCall, releaseSelector, type Cluster } from '../kube/cluster.js';
import { decideNextPhase, generateSigningKey, SECRET_KEYS, withChanges, type RotationPhase } from './rotation-phases.js';

export const ROTATE_HELP = `usage: platformctl rotate-signing-key [-n NS] [--release NAME] [--dry-run]

Rotates the RS256 key that signs access tokens without rejecting any token. Run it three times;
each run does the next phase, patches the Secret and restarts the release's Deployments (the
annotation kubectl rollout restart sets):
  1. a new key is published in the JWKS as "next" while the current key keeps signing;
  2. after at least the JWKS cache time: the new key signs, the old one stays published;
  3. after at least the access-token lifetime: the old key is retired.
A phase run too early changes nothing and says when it may run (exit status 75).

      --dry-run                    say what the next phase would change; change nothing
      --secret NAME                the Secret holding jwt-private-key.pem (default: the release's)
      --jwks-cache-seconds N       how long verifiers cache the JWKS (default: 600, merchants' cache)
      --access-token-ttl-seconds N the access-token lifetime (default: auth's ACCESS_TOKEN_TTL_SECONDS, else 900)
${CLUSTER_HELP}`;

const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export async function runRotateSigningKey(io: CliIo, now: () => Date = () => new Date()): Promise<number> {
  const args = parseCommandLine(
    io,
    {
      ...CLUSTER_OPTIONS,
      'dry-run': { type: 'boolean' },
      secret: { type: 'string' },
      'jwks-cache-seconds': { type: 'string', default: '600' },
      'access-token-ttl-seconds': { type: 'string' },
    },
    ROTATE_HELP,
  );
  if (args.help) {
    io.out(ROTATE_HELP);
    return 0;
  }
  const jwksCacheSeconds = seconds(args['jwks-cache-seconds'], '--jwks-cache-seconds');
  const cluster = connect(args, io.env);
  const deployments = await releaseDeployments(cluster, args.release);
  const secret = await signingSecret(cluster, args.release, args.secret);
  const accessTokenTtlSeconds = args['access-token-ttl-seconds']
    ? seconds(args['access-token-ttl-seconds'], '--access-token-ttl-seconds')
    : accessTokenTtlOf(deployments);

  const decision = decideNextPhase(
    { data: secret.data ?? {}, annotations: secret.metadata?.annotations ?? {} },
    now(),
    { jwksCacheSeconds, accessTokenTtlSeconds },
    () => {
      io.err('Generating a 4096-bit RSA key...');
      return generateSigningKey();
    },
  );
  if (!decision.ready) {
    io.err(`The next phase cannot run yet: ${decision.reason}. Run again after ${decision.waitUntil.toISOString()}.`);
    return EXIT_CODES.tryAgainLater;
  }
  const { step } = decision;
  const name = secret.metadata!.name!;
  validateSecret(secret, step);
  io.out(`Phase ${step.phase} of 3: ${step.summary}.`);
  for (const [key, value] of Object.entries(step.data)) io.out(`  Secret ${name}: ${value === null ? 'remove' : 'set'} ${key}`);
  const restartedAt = now().toISOString();
  for (const d of deployments) validateRestart(d, restartedAt);
  if (args['dry-run']) {
    io.out(
      `Dry run: nothing changed; ${deployments.length} Deployment(s) would restart: ${deployments.map((d) => d.metadata!.name).join(', ')}.`,
    );
    return 0;
  }
  await kubeCall(cluster, `patch secret ${name}`, () =>
    cluster.core.patchNamespacedSecret(
      { name, namespace: cluster.namespace, body: { metadata: { annotations: step.annotations }, data: step.data } },
      mergePatch,
    ),
  );
  io.err(`Patched Secret ${name}.`);
  for (const [index, d] of deployments.entries()) {
    const deployment = d.metadata!.name!;
    await kubeCall(cluster, `patch deployment ${deployment}`, () =>
      cluster.apps.patchNamespacedDeployment(
        {
          name: deployment,
          namespace: cluster.namespace,
          body: { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: restartedAt } } } } },
        },
        mergePatch,
      ),
    );
    io.err(`Restarting Deployment ${deployment} (${index + 1}/${deployments.length}).`);
  }
  io.out(
    step.phase === 3
      ? 'Rotation complete.'
      : `Done. Run platformctl rotate-signing-key again after ${step.phase === 1 ? `${jwksCacheSeconds} s (the JWKS cache time)` : `${accessTokenTtlSeconds} s (the access-token lifetime)`} for phase ${step.phase + 1}; watch the rollout with platformctl status.`,
  );
  return 0;
}

function seconds(value: string, option: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new OperatorError(`${option} must be a whole number of seconds, not "${value}".`, EX_USAGE);
  return n;
}

async function releaseDeployments(cluster: Cluster, release: string): Promise<V1Deployment[]> {
  const labelSelector = releaseSelector(release);
  const list = await kubeCall(cluster, 'list deployments', () =>
    cluster.apps.listNamespacedDeployment({ namespace: cluster.namespace, labelSelector }),
  );
  if (list.items.length === 0) {
    throw new OperatorError(
      `Release "${release}" not found in namespace ${cluster.namespace}: no Deployment is labelled ${labelSelector}.`,
      EXIT_CODES.inputMissing,
    );
  }
  return list.items;
}

/** The named Secret, else the release's Secret that holds the signing key. */
async function signingSecret(cluster: Cluster, release: string, named: string | undefined): Promise<V1Secret> {
  const secret = named
    ? await kubeCall(cluster, `read secret ${named}`, () =>
        cluster.core.readNamespacedSecret({ name: named, namespace: cluster.namespace }),
      )
    : (
        await kubeCall(cluster, 'list secrets', () =>
          cluster.core.listNamespacedSecret({ namespace: cluster.namespace, labelSelector: releaseSelector(release) }),
        )
      ).items.find((s) => s.data?.[SECRET_KEYS.signing]);
  if (!secret?.data?.[SECRET_KEYS.signing]) {
    throw new OperatorError(
      `No Secret of release "${release}" holds ${SECRET_KEYS.signing} in namespace ${cluster.namespace} (with secrets.existingSecret, name it with --secret).`,
      EXIT_CODES.inputMissing,
    );
  }
  return secret;
}

/** auth's ACCESS_TOKEN_TTL_SECONDS as its Deployment sets it, else the service's default. */
function accessTokenTtlOf(deployments: V1Deployment[]): number {
  const auth = deployments.find((d) => d.metadata?.labels?.['app.kubernetes.io/component'] === 'auth');
  const value = auth?.spec?.template.spec?.containers.flatMap((c) => c.env ?? []).find((e) => e.name === 'ACCESS_TOKEN_TTL_SECONDS')?.value;
  return value ? Number(value) : 900;
}

/**
 * Client-side checks of what would be applied, against the Kubernetes schema (kubernetes-models):
 * `kubectl apply --dry-run=client` needs an API server, and `--dry-run=server` would need the
 * very permissions a dry run is meant to try without.
 */
function validateSecret(secret: V1Secret, step: RotationPhase): void {
  const data = withChanges(secret.data ?? {}, step.data);
  new Secret({ metadata: { name: secret.metadata!.name!, namespace: secret.metadata?.namespace }, type: secret.type, data }).validate();
}

function validateRestart(deployment: V1Deployment, restartedAt: string): void {
  const template = deployment.spec!.template;
  const annotations = { ...template.metadata?.annotations, [RESTARTED_AT]: restartedAt };
  const patched = { ...deployment.spec!, template: { ...template, metadata: { ...template.metadata, annotations } } };
  new Deployment({ metadata: { name: deployment.metadata!.name! }, spec: patched } as never).validate();
}
