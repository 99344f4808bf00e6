import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { badInput, type DomainError } from '@kcloud/common';
import { publicUrl } from './cluster-info';

/**
 * The address guard for clusters registered at run time (registerCluster): the API would send the cluster's
 * credentials to whatever the URL names, from inside the cluster network. Loopback, unspecified, link-local,
 * multicast and cloud-metadata addresses are refused unless ALLOWED_CLUSTER_HOSTS lists the host, IP or CIDR.
 * Private ranges (10/8, 172.16/12, 192.168/16, fc00::/7) stay allowed: that is where in-cluster Prometheus lives.
 * Configured clusters (PROMETHEUS_URL / PROMETHEUS_CLUSTERS) are the operator's and are not checked.
 */

/** Host names that are cloud metadata services whatever they resolve to. */
const METADATA_HOSTS: ReadonlySet<string> = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
]);

const REFUSED: readonly (readonly [string, number, 'ipv4' | 'ipv6', string])[] = [
  ['0.0.0.0', 8, 'ipv4', 'unspecified'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'link-local / cloud metadata'],
  ['100.100.100.200', 32, 'ipv4', 'cloud metadata'],
  ['224.0.0.0', 4, 'ipv4', 'multicast / broadcast'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['fd00:ec2::254', 128, 'ipv6', 'cloud metadata'],
  ['ff00::', 8, 'ipv6', 'multicast'],
];

/** The kind of refused address `ip` is, or undefined when it may be used. IPv4-mapped IPv6 is read as IPv4. */
export function refusedKind(ip: string): string | undefined {
  const v4 = mappedIpv4(ip);
  const [address, family] = v4
    ? [v4, 'ipv4' as const]
    : [ip, isIP(ip) === 6 ? ('ipv6' as const) : ('ipv4' as const)];
  for (const [net, prefix, fam, kind] of REFUSED) {
    if (fam !== family) continue;
    const list = new BlockList();
    list.addSubnet(net, prefix, fam);
    if (list.check(address, family)) return kind;
  }
  return undefined;
}

/** `::ffff:7f00:1` / `::ffff:127.0.0.1` → `127.0.0.1` (the URL parser writes the hex form). */
function mappedIpv4(ip: string): string | undefined {
  const lower = ip.toLowerCase();
  const dotted = /^(?:0{0,4}:){0,4}:?:ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^(?:0{0,4}:){0,4}:?:ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  const [, hiHex, loHex] = hex ?? [];
  if (hiHex === undefined || loHex === undefined) return undefined;
  const [hi, lo] = [parseInt(hiHex, 16), parseInt(loHex, 16)];
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

/** ALLOWED_CLUSTER_HOSTS: exact host names, IPs, or CIDRs. */
export class ClusterHostAllowList {
  private readonly hosts = new Set<string>();
  private readonly nets = new BlockList();

  constructor(entries: readonly string[]) {
    for (const raw of entries) {
      const entry = raw
        .trim()
        .toLowerCase()
        .replace(/^\[|\]$/g, '');
      const [net = '', prefix] = entry.split('/');
      const family = isIP(net);
      if (family && prefix !== undefined)
        this.nets.addSubnet(net, Number(prefix), family === 6 ? 'ipv6' : 'ipv4');
      else if (family) this.nets.addAddress(net, family === 6 ? 'ipv6' : 'ipv4');
      else if (entry) this.hosts.add(entry.replace(/\.$/, ''));
    }
  }

  allowsHost(host: string): boolean {
    return this.hosts.has(host.toLowerCase().replace(/\.$/, ''));
  }

  allowsAddress(ip: string): boolean {
    const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
    const v4 = mappedIpv4(ip);
    return this.nets.check(ip, family) || (v4 !== undefined && this.nets.check(v4, 'ipv4'));
  }
}

export type Resolver = (host: string) => Promise<readonly string[]>;

const systemResolver: Resolver = (host) =>
  new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses) =>
      err ? reject(err) : resolve(addresses.map((a) => a.address)),
    ),
  );

/**
 * Refuses (BAD_USER_INPUT) a run-time cluster URL that is not http(s), carries userinfo, or whose host is or resolves
 * to a refused address. Messages name the host, never the URL's credentials.
 */
export async function assertClusterUrlAllowed(
  raw: string,
  allow: ClusterHostAllowList,
  resolve: Resolver = systemResolver,
): Promise<void> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badInput('url', 'url must be an http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw badInput('url', 'url must be an http(s) URL');
  if (url.username || url.password)
    throw badInput('url', `url ${publicUrl(raw)} carries credentials; pass them in auth instead`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (allow.allowsHost(host)) return;
  if (METADATA_HOSTS.has(host.toLowerCase().replace(/\.$/, '')))
    throw refused(host, 'is a cloud metadata service');
  let addresses: readonly string[];
  try {
    addresses = isIP(host) ? [host] : await resolve(host);
  } catch {
    throw badInput('url', `cluster host '${host}' does not resolve`);
  }
  for (const address of addresses) {
    if (allow.allowsAddress(address)) continue;
    const kind = refusedKind(address);
    if (kind) throw refused(host, `resolves to ${address} (${kind})`);
  }
}

function refused(host: string, what: string): DomainError {
  return badInput(
    'url',
    `cluster host '${host}' ${what}; such addresses are refused for registered clusters unless ALLOWED_CLUSTER_HOSTS lists them`,
  );
}

/**
 * A socket `lookup` that applies the same rule at every connection, so a host that resolved to a public address at
 * registration cannot later be re-pointed (DNS rebinding) at loopback or the metadata service.
 */
export function guardedLookup(allow: ClusterHostAllowList): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 4);
      const bad = allow.allowsHost(hostname)
        ? undefined
        : addresses.find((a) => !allow.allowsAddress(a.address) && refusedKind(a.address));
      if (bad) {
        const error = Object.assign(new Error(`cluster host '${hostname}' resolves to a refused address`), {
          code: 'EREFUSEDADDRESS',
        });
        return callback(error, '', 4);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first)
        return callback(
          Object.assign(new Error(`cluster host '${hostname}' has no address`), { code: 'ENOTFOUND' }),
          '',
          4,
        );
      return callback(null, first.address, first.family);
    });
  };
}
