import { filled, type FilledTable } from './dual-table';
import { ENERGY_BY_CLUSTER, ENERGY_BY_NAMESPACE } from './energy-sections';
import { idleAccountingTables } from './idle-accounting-section';
import { NODE_POWER_BY_CLUSTER } from './node-power-section';
import { PUE_BY_CLUSTER, pueByCluster } from './pue-section';
import type { ReportInput } from './report-input';
import {
  POWER_BY_NAMESPACE,
  scoreDistributionTable,
  statusRows,
  topIdleRows,
  topIdleTable,
} from './report-tables';

const rangeSeconds = (i: ReportInput): number => (i.to.getTime() - i.from.getTime()) / 1000;

/**
 * The report's tables after the summary, in order, each with its rows; the optional ones only when their input was
 * read. One list for both readers: the JSON sections (machine units) and the PDF/xlsx tables (people's units).
 */
export function reportTables(input: ReportInput): FilledTable[] {
  return [
    filled(scoreDistributionTable(input.analysedAt), statusRows(input.scores, input.analysedAt)),
    filled(topIdleTable(input.totals), topIdleRows(input.totals)),
    filled(POWER_BY_NAMESPACE, input.totals.namespaces),
    ...(input.idleUsage ? [idleAccountingTables(input.idleUsage, rangeSeconds(input))] : []),
    ...(input.nodePower ? [filled(NODE_POWER_BY_CLUSTER, input.nodePower)] : []),
    ...(input.unified ? [filled(PUE_BY_CLUSTER, pueByCluster(input.unified))] : []),
    ...(input.energy
      ? [
          filled(ENERGY_BY_CLUSTER, input.energy.byCluster),
          filled(ENERGY_BY_NAMESPACE, input.energy.byNamespace),
        ]
      : []),
  ];
}
