import type { IdleUsageResult } from '@kcloud/analyzer';
import { JOULES_PER_KWH } from './units';
import { col, type ExportSection, type Row } from '../table';
import type { HumanTable } from './report-view';

const round = (v: number, digits = 6): number => Math.round(v * 10 ** digits) / 10 ** digits;

const DEFINITION =
  'Idle here is the analyzer’s activity state: IDLE_HELD (allocated, memory held, no sustained activity) or ' +
  'IDLE_ALLOCATED (allocated, nothing held), entered and left with hysteresis; energy is the DCGM energy counter’s ' +
  'increase while idle (a MIG board split over its instances); cost = idle GPU-hours × IDLE_PRICE_PER_GPU_HOUR + ' +
  'idle kWh × IDLE_PRICE_PER_KWH.';

const coverage = (u: IdleUsageResult, rangeSeconds: number): string =>
  u.accountedSeconds + 1 < rangeSeconds
    ? ` The idle ledger covers ${round(u.accountedSeconds / 3600, 2)} h of the ${round(rangeSeconds / 3600, 2)} h range (it accounts from when the analyzer first ran).`
    : '';

/** Idle accounting per namespace from the analyzer's ledger (machine units as the other sections: hours, joules). */
export function idleAccountingSection(u: IdleUsageResult, rangeSeconds: number): ExportSection {
  return {
    name: 'idle_accounting',
    title: 'Idle accounting by namespace',
    columns: [
      col('namespace', 'string'),
      col('allocated_gpu_hours', 'float'),
      col('idle_gpu_hours', 'float'),
      col('idle_energy_joules', 'float'),
      col('idle_cost', 'float'),
      col('currency', 'string'),
    ],
    rows: u.rows.map(
      (r): Row => [
        r.key,
        round(r.allocatedGpuHours),
        round(r.idleGpuHours),
        round(r.idleEnergyKWh * JOULES_PER_KWH, 3),
        round(r.idleCost, 4),
        r.currency,
      ],
    ),
    note: DEFINITION + coverage(u, rangeSeconds),
  };
}

/** The same for people (PDF, xlsx). */
export function idleAccountingTable(u: IdleUsageResult, rangeSeconds: number): HumanTable {
  return {
    name: 'idle_accounting',
    title: 'Idle accounting by namespace',
    columns: [
      { title: 'Namespace', kind: 'text' },
      { title: 'Allocated (GPU-h)', kind: 'fixed', digits: 2 },
      { title: 'Idle (GPU-h)', kind: 'fixed', digits: 2 },
      { title: 'Idle energy (kWh)', kind: 'fixed', digits: 3 },
      { title: `Idle cost (${u.rows[0]?.currency ?? ''})`.replace(' ()', ''), kind: 'fixed', digits: 2 },
    ],
    rows: u.rows.map((r): Row => [r.key, r.allocatedGpuHours, r.idleGpuHours, r.idleEnergyKWh, r.idleCost]),
    note: DEFINITION + coverage(u, rangeSeconds),
  };
}
