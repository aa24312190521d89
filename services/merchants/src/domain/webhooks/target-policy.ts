import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Host name → its addresses (the system resolver by default; tests inject their own). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));

/** Why a webhook URL may not be called; its message is safe to show the merchant. */
export class TargetRefused extends Error {
  override readonly name = 'TargetRefused';
}

/**
 * The SSRF rule, written once: a webhook may only reach public unicast addresses. ipaddr.js
 * names every special range (loopback, private, link-local, CGNAT, unique-local, multicast,
 * reserved, NAT64, 6to4, Teredo…); anything but `unicast` is refused, and an IPv4-mapped IPv6
 * address is judged as the IPv4 address it is. Cluster Service and Pod ranges are private or
 * CGNAT ranges, so they fall under the same rule.
 */
export function addressAllowed(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}

/**
 * Resolves a webhook URL's host and checks every address it gave. The caller connects to the
 * address returned here and nowhere else (pinned), so a host that answers differently the next
 * time (DNS rebinding) cannot move the connection. `allowPrivate` (WEBHOOK_ALLOW_PRIVATE_TARGETS)
 * lifts the range rule for tests and local use only; the configuration refuses it in production.
 */
export class WebhookTargetPolicy {
  constructor(private readonly options: { allowPrivate: boolean; resolve?: Resolver | undefined }) {}

  async resolveTarget(url: string): Promise<ResolvedAddress> {
    const { hostname, protocol } = new URL(url);
    if (protocol !== 'https:') throw new TargetRefused('Webhook URLs must use https://.');
    const host = hostname.replace(/^\[|\]$/g, '');
    const addresses = ipaddr.isValid(host) ? [literal(host)] : await this.lookup(host);
    if (!this.options.allowPrivate) {
      const refused = addresses.find(({ address }) => !addressAllowed(address));
      if (refused)
        throw new TargetRefused(`${hostname} resolves to an address webhooks may not reach (loopback, private, link-local or reserved).`);
    }
    return addresses[0]!;
  }

  private async lookup(host: string): Promise<ResolvedAddress[]> {
    let addresses: ResolvedAddress[];
    try {
      addresses = await (this.options.resolve ?? systemResolver)(host);
    } catch {
      throw new TargetRefused(`${host} could not be resolved.`);
    }
    if (addresses.length === 0) throw new TargetRefused(`${host} could not be resolved.`);
    return addresses;
  }
}

function literal(address: string): ResolvedAddress {
  return { address, family: ipaddr.parse(address).kind() === 'ipv6' ? 6 : 4 };
}
