import type { SimGpu } from '@kcloud/fleet-model';

import { DCGM_FIELDS } from './dcgm-fields';
import { escapeLabelValue, familyHeader, formatDouble, formatInt } from './text-format';

/** `Hostname` in every released dcgm-exporter; `hostname` on main after d5e5f51 (METRICS.md §1.2). */
export type HostnameLabel = 'Hostname' | 'hostname';

export interface DcgmRenderOptions {
  readonly hostnameLabel?: HostnameLabel;
  /** Serve DCGM_FI_DEV_POWER_MGMT_LIMIT (not in the shipped CSVs; operators add it). Default true. */
  readonly powerLimit?: boolean;
  /** Serve the health rows the default CSV comments out (ECC, retired pages, NVLink errors, clock events). Default false. */
  readonly allHealthCounters?: boolean;
  /** Reuse label sets across scrapes; without one they are built per call. */
  readonly labelCache?: DcgmLabelCache;
}

/**
 * dcgm-exporter's GPU template: `{gpu,UUID,pci_bus_id,device,modelName[,GPU_I_PROFILE,GPU_I_ID][,Hostname]` then the
 * CSV label fields and the Kubernetes attributes, each sorted by key (DCGM_FI_DRIVER_VERSION < container < namespace
 * < pod, since upper case sorts first). Unallocated devices carry no container/namespace/pod at all.
 */
export function dcgmLabels(
  g: SimGpu,
  hostnameLabel: HostnameLabel,
  attributes?: Readonly<Record<string, string>>,
): string {
  let s = `{gpu="${g.index}",UUID="${escapeLabelValue(g.uuid)}",pci_bus_id="${escapeLabelValue(g.pciBusId)}",device="nvidia${g.index}",modelName="${escapeLabelValue(g.model)}"`;
  if (g.migProfile !== undefined)
    s += `,GPU_I_PROFILE="${escapeLabelValue(g.migProfile)}",GPU_I_ID="${escapeLabelValue(g.migInstanceId ?? '')}"`;
  s += `,${hostnameLabel}="${escapeLabelValue(g.node)}",DCGM_FI_DRIVER_VERSION="${escapeLabelValue(g.driverVersion)}"`;
  const attrs: Record<string, string | undefined> = {
    ...attributes,
    container: g.container,
    namespace: g.namespace,
    pod: g.pod,
  };
  for (const key of Object.keys(attrs).sort()) {
    const value = attrs[key];
    if (value !== undefined) s += `,${key}="${escapeLabelValue(value)}"`;
  }
  return `${s}}`;
}

/** Renders one scrape body: a HELP/TYPE block per family, then one line per GPU or MIG instance. */
export function renderDcgm(gpus: readonly SimGpu[], options: DcgmRenderOptions = {}): string {
  const hostnameLabel = options.hostnameLabel ?? 'Hostname';
  const powerLimit = options.powerLimit ?? true;
  const cache = options.labelCache;
  const labels = gpus.map((g) => (cache ? cache.labelsFor(g, hostnameLabel) : dcgmLabels(g, hostnameLabel)));
  const lines: string[] = [];
  for (const field of DCGM_FIELDS) {
    if (field.optIn === 'powerLimit' && !powerLimit) continue;
    if (field.optIn === 'allHealthCounters' && !options.allHealthCounters) continue;
    const format = field.format === 'int' ? formatInt : formatDouble;
    let headed = false;
    for (const [i, gpu] of gpus.entries()) {
      const value = field.value(gpu);
      if (value === undefined) continue; // e.g. GPU_UTIL of a MIG instance: DCGM blank → no series
      if (!headed) {
        lines.push(familyHeader(field.name, field.help, field.type));
        headed = true;
      }
      // Rows with per-value attributes (XID's err_code/err_msg) change labels with the value: cached per value.
      const rowLabels = !field.attributes
        ? labels[i]
        : cache
          ? cache.labelsFor(gpu, hostnameLabel, field.attributes(gpu))
          : dcgmLabels(gpu, hostnameLabel, field.attributes(gpu));
      lines.push(`${field.name}${rowLabels} ${format(value)}`);
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/**
 * Label sets per device, built once and reused while the device's identity and tenant stay the same. A pattern or
 * tenant switch changes the compared fields, which rebuilds the entry (no explicit invalidation needed).
 */
export class DcgmLabelCache {
  private readonly entries = new Map<
    string,
    { readonly source: SimGpu; readonly host: HostnameLabel; readonly text: string }
  >();

  labelsFor(g: SimGpu, hostnameLabel: HostnameLabel, attributes?: Readonly<Record<string, string>>): string {
    let key = g.migInstanceId === undefined ? g.uuid : `${g.uuid}/${g.migInstanceId}`;
    if (attributes) key += `\u0000${Object.values(attributes).join('\u0000')}`;
    const hit = this.entries.get(key);
    if (hit && hit.host === hostnameLabel && sameLabels(hit.source, g)) return hit.text;
    const text = dcgmLabels(g, hostnameLabel, attributes);
    this.entries.set(key, { source: g, host: hostnameLabel, text });
    return text;
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}

function sameLabels(a: SimGpu, b: SimGpu): boolean {
  return (
    a.node === b.node &&
    a.index === b.index &&
    a.pciBusId === b.pciBusId &&
    a.model === b.model &&
    a.driverVersion === b.driverVersion &&
    a.migProfile === b.migProfile &&
    a.namespace === b.namespace &&
    a.pod === b.pod &&
    a.container === b.container
  );
}
