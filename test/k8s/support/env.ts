import type { K8sObject } from './render.js';

export type SecretData = Record<string, Record<string, string>>;

/** The decoded data of every Secret in a render, by name. */
export function renderedSecrets(objects: K8sObject[]): SecretData {
  const secrets: SecretData = {};
  for (const s of objects.filter((o) => o.kind === 'Secret')) {
    secrets[s.metadata.name] = {
      ...Object.fromEntries(
        Object.entries((s.data ?? {}) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
      ),
      ...((s.stringData ?? {}) as Record<string, string>),
    };
  }
  return secrets;
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
  };
}

/** Kubernetes' `$(VAR)` expansion: earlier variables only; `$$` escapes; unknown references stay as they are. */
function expand(value: string, env: Record<string, string>): string {
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (match, name: string | undefined) => {
    if (match === '$$') return '$';
    return name !== undefined && name in env ? env[name]! : match;
  });
}

/**
 * The environment a container gets, exactly as the kubelet would build it: literal values with
 * `$(VAR)` expansion and Secret keys resolved (from the render, or from `extra` for existing Secrets).
 */
export function containerEnv(container: K8sObject, secrets: SecretData, objects: K8sObject[] = []): Record<string, string> {
  const env: Record<string, string> = {};
  for (const v of (container.env ?? []) as EnvVar[]) {
    if (v.value !== undefined) {
      env[v.name] = expand(v.value, env);
    } else if (v.valueFrom?.secretKeyRef) {
      const ref = v.valueFrom.secretKeyRef;
      const value = secrets[ref.name]?.[ref.key];
      if (value === undefined) {
        if (ref.optional) continue;
        throw new Error(`${container.name}: ${v.name} needs key ${ref.key} of Secret ${ref.name}, which does not exist`);
      }
      env[v.name] = value;
    } else if (v.valueFrom?.configMapKeyRef) {
      const ref = v.valueFrom.configMapKeyRef;
      const map = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === ref.name);
      const value = (map?.data as Record<string, string> | undefined)?.[ref.key];
      if (value === undefined) throw new Error(`${container.name}: ${v.name} needs ConfigMap ${ref.name} key ${ref.key}`);
      env[v.name] = value;
    } else {
      env[v.name] = '';
    }
  }
  return env;
}
