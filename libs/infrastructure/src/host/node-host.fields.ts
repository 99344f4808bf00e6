import {
  type HostSample,
  memoryUtilizationPercentOf,
  rootFilesystemUsedPercentOf,
} from '@kcloud/metrics-source';

/** A scalar Node field read from node_exporter: its GraphQL name and description, and its value in a host sample. */
export interface HostField {
  readonly name: string;
  readonly description: string;
  readonly read: (host: HostSample) => number | undefined;
}

/** The HostSample keys that hold a number. */
type Reading = {
  [K in keyof HostSample]-?: NonNullable<HostSample[K]> extends number ? K : never;
}[keyof HostSample];

/** A field that is one reading of the sample, under the sample's own name. */
const reading = (name: Reading, description: string): HostField => ({
  name,
  description,
  read: (h) => h[name],
});

const NO_HOST = 'Null without node_exporter or for a namespace-scoped key';

/**
 * Every scalar host field of Node, as data: one resolver body serves them all (NodeHostResolver), so a new
 * node_exporter reading is one row here, not one more copy of a batched field resolver.
 */
export const HOST_FIELDS: readonly HostField[] = [
  {
    name: 'memoryUtilizationPercent',
    description:
      'Memory utilisation, 0–100: (MemTotal − MemAvailable) / MemTotal from node_exporter; null without node_exporter ' +
      'or for a namespace-scoped key (node-wide)',
    read: memoryUtilizationPercentOf,
  },
  reading('memoryTotalBytes', 'node_memory_MemTotal_bytes, bytes'),
  reading('memoryAvailableBytes', 'node_memory_MemAvailable_bytes, bytes'),
  reading('load1', 'node_load1: 1-minute load average (runnable + uninterruptible tasks)'),
  reading('load5', 'node_load5: 5-minute load average'),
  reading('load15', 'node_load15: 15-minute load average'),
  {
    name: 'rootFilesystemUsedPercent',
    description:
      'Root filesystem use, 0–100: (size − avail) / size of node_filesystem_*_bytes{mountpoint="/"} (not tmpfs/overlay); ' +
      `avail is what non-root users may still write, as df reports. ${NO_HOST}`,
    read: rootFilesystemUsedPercentOf,
  },
  reading('rootFilesystemSizeBytes', 'node_filesystem_size_bytes of the root filesystem, bytes'),
  reading('rootFilesystemAvailableBytes', 'node_filesystem_avail_bytes of the root filesystem, bytes'),
  reading(
    'networkReceiveBytesPerSecond',
    'Bytes/s received over the rate window: rate(node_network_receive_bytes_total) summed over physical interfaces ' +
      '(not lo, veth*, cali*, flannel*, cni*, docker*, …: container traffic also crosses a physical NIC)',
  ),
  reading(
    'networkTransmitBytesPerSecond',
    'Bytes/s transmitted over the rate window: rate(node_network_transmit_bytes_total) summed over physical interfaces',
  ),
];

/** The field's value for a node's host sample; null (not 0) when the node has no sample or the reading is absent. */
export function hostFieldValue(field: HostField, host: HostSample | undefined): number | null {
  return (host && field.read(host)) ?? null;
}
