import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { AppsV1Api, AutoscalingV2Api, BatchV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { EX_CONFIG, EX_UNAVAILABLE } from '@merchant-platform/common/cli';
import type { Env } from '@merchant-platform/common/config';
import { EXIT_CODES } from '@merchant-platform/common/exit-codes';

/** A failure the operator can act on: its message says what to do, its exit code says which kind. */
export class OperatorError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export interface ClusterOptions {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
}

/** The API clients one command uses, and where it points. */
export interface Cluster {
  namespace: string;
  server: string;
  core: CoreV1Api;
  apps: AppsV1Api;
  autoscaling: AutoscalingV2Api;
  batch: BatchV1Api;
}

/**
 * Connects as kubectl would: --kubeconfig, else $KUBECONFIG, else ~/.kube/config, else the
 * pod's in-cluster account. client-node would quietly fall back to http://localhost:8080 when
 * there is none, and the operator would read a connection error instead of the cause.
 */
export function connect(options: ClusterOptions, env: Env): Cluster {
  const kubeConfig = new KubeConfig();
  const files = options.kubeconfig ? [options.kubeconfig] : (env.KUBECONFIG?.split(delimiter).filter(Boolean) ?? []);
  const defaultFile = join(env.HOME ?? homedir(), '.kube', 'config');
  const missing = files.filter((file) => !existsSync(file));
  if (missing.length > 0) throw new OperatorError(`The kubeconfig ${missing.join(', ')} does not exist.`, EX_CONFIG);
  if (files.length > 0) files.forEach((file) => kubeConfig.loadFromFile(file));
  else if (existsSync(defaultFile)) kubeConfig.loadFromFile(defaultFile);
  else if (env.KUBERNETES_SERVICE_HOST) kubeConfig.loadFromCluster();
  else {
    throw new OperatorError(
      `No kubeconfig: ${defaultFile} does not exist and neither --kubeconfig nor KUBECONFIG is set (nor is this a pod in a cluster).`,
      EX_CONFIG,
    );
  }
  if (options.context) {
    if (!kubeConfig.getContextObject(options.context))
      throw new OperatorError(`The kubeconfig has no context "${options.context}".`, EX_CONFIG);
    kubeConfig.setCurrentContext(options.context);
  }
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster)
    throw new OperatorError('The kubeconfig names no current context with a cluster (kubectl config use-context ...).', EX_CONFIG);
  return {
    namespace: options.namespace ?? kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace ?? 'default',
    server: cluster.server,
    core: kubeConfig.makeApiClient(CoreV1Api),
    apps: kubeConfig.makeApiClient(AppsV1Api),
    autoscaling: kubeConfig.makeApiClient(AutoscalingV2Api),
    batch: kubeConfig.makeApiClient(BatchV1Api),
  };
}

/**
 * Runs one API call and turns its failure into a message naming the call: 401 and 403 (RBAC)
 * say which permission is missing, an unreachable server says which server.
 */
export async function kubeCall<T>(cluster: Cluster, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 403) {
      throw new OperatorError(
        `Forbidden: your account may not ${what} in namespace ${cluster.namespace} (RBAC). Ask for a Role that allows it.`,
        EXIT_CODES.notPermitted,
      );
    }
    if (code === 401)
      throw new OperatorError(`The API server at ${cluster.server} did not accept your credentials (401).`, EXIT_CODES.notPermitted);
    if (typeof code === 'number') throw new OperatorError(`Could not ${what}: the API server answered ${code}.`, EX_UNAVAILABLE);
    throw new OperatorError(`Could not reach the API server at ${cluster.server} to ${what} (${describeCause(error)}).`, EX_UNAVAILABLE);
  }
}

function describeCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

/** The label every object of a Helm release of the chart carries. */
export const releaseSelector = (release: string) => `app.kubernetes.io/instance=${release}`;
