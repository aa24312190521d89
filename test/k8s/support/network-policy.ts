import { selects, type K8sObject } from './render.js';

/** One end of a connection: a pod (namespace, its labels, its namespace's labels) or an outside address. */
export type Endpoint = { namespace: string; namespaceLabels: Record<string, string>; podLabels: Record<string, string> } | { ip: string };

interface Peer {
  podSelector?: { matchLabels?: Record<string, string> };
  namespaceSelector?: { matchLabels?: Record<string, string> };
  ipBlock?: { cidr: string; except?: string[] };
}
interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: { port?: number | string; protocol?: string }[];
}

function ipToNumber(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function inCidr(ip: string, cidr: string): boolean {
  const [base = '', bits = '32'] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(ipToNumber(base) / size) * size;
  const n = ipToNumber(ip);
  return n >= start && n < start + size;
}

function peerMatches(peer: Peer, policyNamespace: string, other: Endpoint): boolean {
  if ('ip' in other)
    return (
      peer.ipBlock !== undefined && inCidr(other.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c) => inCidr(other.ip, c))
    );
  if (peer.ipBlock) return false; // cluster pods are not addressed by ipBlock in these policies
  const namespaceOk = peer.namespaceSelector ? selects(peer.namespaceSelector, other.namespaceLabels) : other.namespace === policyNamespace;
  const podOk = peer.podSelector ? selects(peer.podSelector, other.podLabels) : true;
  return namespaceOk && podOk;
}

function portMatches(rule: Rule, port: number, protocol: string, namedPorts: Record<string, number>): boolean {
  if (!rule.ports || rule.ports.length === 0) return true;
  return rule.ports.some((p) => {
    const number = typeof p.port === 'string' ? namedPorts[p.port] : p.port;
    return (p.port === undefined || number === port) && (p.protocol ?? 'TCP') === protocol;
  });
}

/**
 * Whether NetworkPolicies let `source` open a connection to `target` on a port: the target's
 * policies must admit it (Ingress) and the source's policies must let it out (Egress); a pod no
 * policy of that type selects is open in that direction.
 */
export function allowed(
  policies: K8sObject[],
  source: Endpoint,
  target: Endpoint,
  port: number,
  protocol = 'TCP',
  namedPorts: Record<string, number> = {},
): boolean {
  const side = (pod: Endpoint, type: 'Ingress' | 'Egress', other: Endpoint): boolean => {
    if ('ip' in pod) return true;
    const selecting = policies.filter(
      (p) =>
        p.metadata.namespace === pod.namespace &&
        (p.spec.policyTypes as string[]).includes(type) &&
        selects(p.spec.podSelector, pod.podLabels),
    );
    if (selecting.length === 0) return true;
    return selecting.some((p) =>
      (((type === 'Ingress' ? p.spec.ingress : p.spec.egress) as Rule[] | undefined) ?? []).some((rule) => {
        const peers = type === 'Ingress' ? rule.from : rule.to;
        const peerOk = !peers || peers.length === 0 || peers.some((peer) => peerMatches(peer, pod.namespace, other));
        return peerOk && portMatches(rule, port, protocol, namedPorts);
      }),
    );
  };
  return side(target, 'Ingress', source) && side(source, 'Egress', target);
}
