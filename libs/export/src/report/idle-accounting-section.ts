import type { IdleUsageResult } from '@kcloud/analyzer';
import { JOULES_PER_KWH } from './units';
import type { ExportSection } from '../table';
import { type DualTable, filled, type FilledTable, quantityColumn, textColumn } from './dual-table';
import type { HumanTable } from './report-view';

type IdleRow = IdleUsageResult['rows'][number];

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

/**
 * Idle accounting per namespace from the analyzer's ledger: machine units as the other sections (hours, joules,
 * the cost with its currency), kWh and the currency in the cost's title for people.
 */
function idleAccounting(u: IdleUsageResult, rangeSeconds: number): DualTable<IdleRow> {
  const hours = (name: string, title: string, pick: (r: IdleRow) => number) =>
    quantityColumn<IdleRow>(name, title, pick, { per: 1, digits: 2 }, 6);
  const currency = u.rows[0]?.currency;
  return {
    name: 'idle_accounting',
    title: 'Idle accounting by namespace',
    columns: [
      textColumn('namespace', 'Namespace', (r) => r.key),
      hours('allocated_gpu_hours', 'Allocated (GPU-h)', (r) => r.allocatedGpuHours),
      hours('idle_gpu_hours', 'Idle (GPU-h)', (r) => r.idleGpuHours),
      quantityColumn(
        'idle_energy_joules',
        'Idle energy (kWh)',
        (r) => r.idleEnergyKWh * JOULES_PER_KWH,
        { per: JOULES_PER_KWH, digits: 3 },
        3,
      ),
      quantityColumn(
        'idle_cost',
        currency ? `Idle cost (${currency})` : 'Idle cost',
        (r) => r.idleCost,
        {
          per: 1,
          digits: 2,
        },
        4,
      ),
      { name: 'currency', type: 'string', machine: (r) => r.currency },
    ],
    note: DEFINITION + coverage(u, rangeSeconds),
  };
}

/** Idle accounting with its rows, for either reader. */
export const idleAccountingTables = (u: IdleUsageResult, rangeSeconds: number): FilledTable =>
  filled(idleAccounting(u, rangeSeconds), u.rows);

export const idleAccountingSection = (u: IdleUsageResult, rangeSeconds: number): ExportSection =>
  idleAccountingTables(u, rangeSeconds).machine();

/** The same for people (PDF, xlsx). */
export const idleAccountingTable = (u: IdleUsageResult, rangeSeconds: number): HumanTable =>
  idleAccountingTables(u, rangeSeconds).human();
