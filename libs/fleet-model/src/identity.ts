import { hashString, hex128 } from './hash';

/**
 * Deterministic identities: GPU UUIDs, PCI bus ids, pod uids and addresses. All derive from the seed and names, so a
 * scenario rendered twice (or by two processes) names every object the same way.
 */

/**
 * A flat copy of a string built by concatenation. V8 keeps `a + b` as a tree of cons and sliced strings until
 * something flattens it (a UUID built here: ~10 objects and ~300 B instead of one of 56 B); the model's identities
 * live as long as the process, one per device and pod.
 */
export function flat(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

/** NVML style `GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (lower-case hex). */
export function gpuUuid(seed: string, cluster: string, node: string, index: number): string {
  return flat(`GPU-${dashed(hex128(`gpu|${seed}|${cluster}|${node}|${index}`))}`);
}

/** RFC 4122 shaped (version 4 / variant bits set) so it looks like a Kubernetes object uid. */
export function objectUid(seed: string, kind: string, ...names: readonly string[]): string {
  const hex = hex128(`${kind}|${seed}|${names.join('|')}`);
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return flat(dashed(`${hex.slice(0, 12)}4${hex.slice(13, 16)}${variant}${hex.slice(17)}`));
}

function dashed(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Bus numbers of the eight GPUs of an HGX H100 board, as DCGM prints them. */
const HGX_BUSES = ['18', '2A', '3A', '5D', '9A', 'AB', 'BA', 'DB'] as const;

/** One string per index, shared by every node's GPU of that index. */
const PCI_BUS_IDS: string[] = [];

/** `00000000:18:00.0`; GPUs beyond eight move to the next PCI domain so ids stay unique on a node. */
export function pciBusId(index: number): string {
  return (PCI_BUS_IDS[index] ??= flat(formatPciBusId(index)));
}

function formatPciBusId(index: number): string {
  const domain = Math.floor(index / HGX_BUSES.length)
    .toString(16)
    .toUpperCase()
    .padStart(8, '0');
  return `${domain}:${HGX_BUSES[index % HGX_BUSES.length]}:00.0`;
}

/** Node InternalIP: 10.<cluster>.<node hi>.<node lo+1>. */
export function nodeIp(clusterIndex: number, nodeIndex: number): string {
  return `10.${(clusterIndex + 1) % 256}.${Math.floor(nodeIndex / 250) % 256}.${(nodeIndex % 250) + 1}`;
}

/** Pod CIDR per node, as the node IPAM controller would assign /24s. */
export function podCidr(clusterIndex: number, nodeIndex: number): string {
  return `100.${64 + (clusterIndex % 64)}.${nodeIndex % 256}.0/24`;
}

/** A pod IP inside its node's pod CIDR; stable per pod name. */
export function podIp(clusterIndex: number, nodeIndex: number, podKey: string): string {
  return flat(`100.${64 + (clusterIndex % 64)}.${nodeIndex % 256}.${(hashString(podKey) % 250) + 2}`);
}

/** A short lower-case suffix like the ones ReplicaSets and Jobs append to pod names. */
export function shortSuffix(key: string, length = 5): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let h = hashString(key);
  let out = '';
  for (let i = 0; i < length; i++) {
    out += alphabet[h % alphabet.length];
    h = Math.floor(h / alphabet.length) || hashString(`${key}${i}`);
  }
  return out;
}
