import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { repoRoot, runTool, runToolAsync, runToolOrThrow } from '../../../tools/k8s-tools.js';

export { repoRoot };
export const platformChart = join(repoRoot, 'charts', 'merchant-platform');
export const mysqlChart = join(repoRoot, 'charts', 'mysql');
export const SERVICES = ['auth', 'merchants', 'email', 'console'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // Rendered manifests are checked field by field; `any` keeps those checks readable.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [key: string]: any;
}

let dependenciesBuilt = false;

/** Packs charts/mysql into the application chart's charts/ (git-ignored), once per test run. */
export function buildDependencies(): void {
  if (dependenciesBuilt) return;
  runToolOrThrow('helm', ['dependency', 'build', platformChart]);
  dependenciesBuilt = true;
}

export interface RenderOptions {
  values?: Record<string, unknown>;
  kubeVersion?: string;
  release?: string;
  namespace?: string;
  chart?: string;
  hooks?: boolean;
  /** Render against this cluster (`--dry-run=server`), so that `lookup` reads it. */
  kubeconfig?: string;
}

function valuesArgs(values: Record<string, unknown> | undefined, dir: string): string[] {
  if (!values) return [];
  const file = join(dir, 'values.json');
  writeFileSync(file, JSON.stringify(values)); // JSON is YAML
  return ['--values', file];
}

/** `helm template` arguments for one render; the values go through a temporary file. */
function templateArgs(options: RenderOptions, dir: string): string[] {
  return [
    'template',
    options.release ?? 'mp',
    options.chart ?? platformChart,
    '--namespace',
    options.namespace ?? 'shop',
    ...(options.kubeVersion ? ['--kube-version', options.kubeVersion] : []),
    ...(options.hooks === false ? ['--no-hooks'] : []),
    ...(options.kubeconfig ? ['--dry-run=server', '--disable-openapi-validation', '--kubeconfig', options.kubeconfig] : []),
    ...valuesArgs(options.values, dir),
  ];
}

export function parseManifests(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`invalid YAML from helm: ${doc.errors[0]?.message}`);
      return doc.toJS() as K8sObject | null;
    })
    .filter((obj): obj is K8sObject => obj !== null);
}

/** Renders the chart and returns every object; throws with helm's message when it fails. */
export function render(options: RenderOptions = {}): K8sObject[] {
  if ((options.chart ?? platformChart) === platformChart) buildDependencies();
  const dir = mkdtempSync(join(tmpdir(), 'mp-render-'));
  try {
    return parseManifests(runToolOrThrow('helm', templateArgs(options, dir)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Renders without blocking the event loop (the cluster it reads may be a server in this process); throws with helm's message when it fails. */
export async function renderAsync(options: RenderOptions): Promise<K8sObject[]> {
  if ((options.chart ?? platformChart) === platformChart) buildDependencies();
  const dir = mkdtempSync(join(tmpdir(), 'mp-render-'));
  try {
    const result = await runToolAsync('helm', templateArgs(options, dir));
    if (result.status !== 0) throw new Error(`helm template exited ${result.status}:\n${result.stderr}`);
    return parseManifests(result.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Renders and returns helm's exit status and messages, for values the chart must refuse. */
export function renderFailure(options: RenderOptions): { status: number; message: string } {
  if ((options.chart ?? platformChart) === platformChart) buildDependencies();
  const dir = mkdtempSync(join(tmpdir(), 'mp-render-'));
  try {
    const result = runTool('helm', templateArgs(options, dir));
    return { status: result.status, message: result.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function ofKind(objects: K8sObject[], kind: string): K8sObject[] {
  return objects.filter((o) => o.kind === kind);
}

export function named(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in [${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}]`);
  return found;
}

/** The Deployment of one service in a render with release `mp` (names are `<release>-merchant-platform-<service>`). */
export function deploymentOf(objects: K8sObject[], service: ServiceName, release = 'mp'): K8sObject {
  return named(objects, 'Deployment', `${release}-merchant-platform-${service}`);
}

export function isHook(obj: K8sObject): boolean {
  return Boolean(obj.metadata.annotations?.['helm.sh/hook']);
}

/** Every pod spec in a render, with where it came from. */
export function podSpecs(objects: K8sObject[]): { owner: K8sObject; labels: Record<string, string>; spec: K8sObject['spec'] }[] {
  return objects.flatMap((o) => {
    if (o.kind === 'Pod') return [{ owner: o, labels: o.metadata.labels ?? {}, spec: o.spec }];
    if (['Deployment', 'StatefulSet', 'Job'].includes(o.kind)) {
      return [{ owner: o, labels: o.spec.template.metadata?.labels ?? {}, spec: o.spec.template.spec }];
    }
    return [];
  });
}

/** Whether a label selector (matchLabels and matchExpressions) selects a set of labels. */
export function selects(
  selector: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] },
  labels: Record<string, string>,
): boolean {
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpression = (selector.matchExpressions ?? []).every((e) => {
    const value = labels[e.key];
    switch (e.operator) {
      case 'In':
        return value !== undefined && (e.values ?? []).includes(value);
      case 'NotIn':
        return value === undefined || !(e.values ?? []).includes(value);
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
      default:
        throw new Error(`unknown selector operator ${e.operator}`);
    }
  });
  return byLabel && byExpression;
}
