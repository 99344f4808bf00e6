import { findNpuModel } from '@kcloud/fleet-model';
import type { SimNpu } from '@kcloud/fleet-model';

import { formatGoFloat, sortedLabelSet } from './go-float';
import { escapeLabelValue, familyHeader } from './text-format';

/**
 * rbln-metrics-exporter v0.2.1+ (METRICS.md §4.2): gauges whose names contain a colon, client_golang output (families
 * and labels sorted). Unlike Furiosa it always prints namespace/pod/container, empty for an unallocated card, and DRAM
 * in bytes (v0.2.0 printed GiB).
 */
const MIB = 1024 * 1024;

const FAMILIES: readonly { name: string; help: string; value: (n: SimNpu) => number }[] = [
  { name: 'RBLN_DEVICE_STATUS:CARD_POWER', help: 'Card power usage (W)', value: (n) => n.powerWatts },
  {
    name: 'RBLN_DEVICE_STATUS:DRAM_TOTAL',
    help: 'DRAM total (bytes)',
    value: (n) => (n.memoryTotalMiB ?? 0) * MIB,
  },
  {
    name: 'RBLN_DEVICE_STATUS:DRAM_USED',
    help: 'DRAM used (bytes)',
    value: (n) => (n.memoryUsedMiB ?? 0) * MIB,
  },
  // 0 = active/healthy, 1 = inactive (the daemon's err_status).
  { name: 'RBLN_DEVICE_STATUS:HEALTH', help: 'NPU health status', value: (n) => (n.healthy ? 0 : 1) },
  { name: 'RBLN_DEVICE_STATUS:TEMPERATURE', help: 'NPU temperature (C)', value: (n) => n.temperatureCelsius },
  { name: 'RBLN_DEVICE_STATUS:UTILIZATION', help: 'Utilization (%)', value: (n) => n.utilizationPercent },
];

function labels(n: SimNpu): string {
  const spec = findNpuModel(n.model);
  return sortedLabelSet(
    {
      card: spec?.card ?? n.model,
      name: n.device,
      uuid: n.uuid,
      deviceID: spec?.deviceId ?? '',
      hostname: n.node,
      namespace: n.namespace ?? '',
      pod: n.pod ?? '',
      container: n.container ?? '',
      driver_version: n.driverVersion,
      firmware_version: n.firmwareVersion,
    },
    escapeLabelValue,
  );
}

/** One scrape of rbln-metrics-exporter on the node(s) holding `npus` (Rebellions cards only are rendered). */
export function renderRbln(npus: readonly SimNpu[]): string {
  const cards = npus.filter((n) => n.vendor === 'rebellions');
  if (cards.length === 0) return '';
  const lines: string[] = [];
  for (const family of FAMILIES) {
    lines.push(`${familyHeader(family.name, family.help, 'gauge')}`);
    const rows = cards.map((n) => `${family.name}${labels(n)} ${formatGoFloat(family.value(n))}`);
    lines.push(...rows.sort());
  }
  return `${lines.join('\n')}\n`;
}
