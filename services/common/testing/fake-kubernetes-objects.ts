/**
 * The object store behind the FAKE Kubernetes API server (fake-kubernetes-api.ts): enough of
 * kube-apiserver's REST semantics for an operator's CLI to be tested (list with a label
 * selector, get, merge patch, a pod's proxied `/metrics`), nothing more. No validation, no
 * resourceVersion conflicts, no watch.
 */

/** A Kubernetes object of any kind, as JSON. */
export type KubeObject = {
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string>; [key: string]: unknown };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the fields of any kind
  [key: string]: any;
};

/** A `Status` body as kube-apiserver answers an error. */
export function kubeStatus(code: number, reason: string, message: string) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

/** RFC 7386 JSON merge patch: `null` removes a key, objects merge, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const result: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** Equality-based selectors only (`a=b,c=d`), which is all the CLI sends. */
export function matchesLabelSelector(labels: Record<string, string> | undefined, selector: string | null): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const [key, value] = term.split('=');
    return labels?.[key!] === value;
  });
}

/** Objects by collection path (`/apis/apps/v1/namespaces/prod/deployments`) and name. */
export class FakeObjectStore {
  private readonly collections = new Map<string, Map<string, KubeObject>>();

  put(collection: string, object: KubeObject): void {
    const items = this.collections.get(collection) ?? new Map<string, KubeObject>();
    items.set(object.metadata.name, structuredClone(object));
    this.collections.set(collection, items);
  }

  get(collection: string, name: string): KubeObject | undefined {
    return this.collections.get(collection)?.get(name);
  }

  list(collection: string, labelSelector: string | null): KubeObject[] {
    return [...(this.collections.get(collection)?.values() ?? [])].filter((o) => matchesLabelSelector(o.metadata.labels, labelSelector));
  }

  patch(collection: string, name: string, patch: unknown): KubeObject | undefined {
    const current = this.get(collection, name);
    if (!current) return undefined;
    const patched = mergePatch(current, patch) as KubeObject;
    this.put(collection, patched);
    return patched;
  }
}
