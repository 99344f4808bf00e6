import { col, type ExportSection } from '../table';
import { idleAccountingSection } from './idle-accounting-section';
import { nodePowerSection } from './node-power-section';
import { machineSection } from './dual-table';
import { ENERGY_BY_CLUSTER, ENERGY_BY_NAMESPACE } from './energy-sections';
import { PUE_BY_CLUSTER, pueByCluster } from './pue-section';
import { type ReportInput, TOP_IDLE_GPUS } from './report-input';
import {
  POWER_BY_NAMESPACE,
  scoreDistributionTable,
  statusRows,
  summaryFigures,
  topIdleRows,
  topIdleTable,
} from './report-tables';
import { reportView, type ReportDocument } from './report-view';

export { TOP_IDLE_GPUS };

const rangeSeconds = (i: ReportInput): number => (i.to.getTime() - i.from.getTime()) / 1000;

function summary(input: ReportInput): ExportSection {
  const { totals } = input;
  return {
    name: 'summary',
    title: 'Summary',
    columns: [col('metric', 'string'), col('value', 'float'), col('unit', 'string')],
    rows: summaryFigures(input).flatMap((f) => (f.machine ? [f.machine] : [])),
    note: `Range ${input.from.toISOString()} – ${input.to.toISOString()}, ${totals.steps} points every ${input.stepSeconds} s; idle means the analyzer's IDLE status, each step judged by its rule.`,
  };
}

/**
 * The report: fleet totals, score distribution, top idle GPUs by wasted energy and idle time, power by namespace.
 * `sections` keep machine units (the JSON report); `view` is the same figures for people (PDF, xlsx).
 */
export function reportDocument(input: ReportInput): ReportDocument {
  return {
    title: 'kcloud-monitor fleet report',
    subtitle: `${input.from.toISOString()} – ${input.to.toISOString()} · step ${input.stepSeconds} s`,
    sections: [
      summary(input),
      machineSection(scoreDistributionTable(input.analysedAt), statusRows(input.scores, input.analysedAt)),
      machineSection(topIdleTable(input.totals), topIdleRows(input.totals)),
      machineSection(POWER_BY_NAMESPACE, input.totals.namespaces),
      ...(input.idleUsage ? [idleAccountingSection(input.idleUsage, rangeSeconds(input))] : []),
      ...(input.nodePower ? [nodePowerSection(input.nodePower)] : []),
      ...(input.unified ? [machineSection(PUE_BY_CLUSTER, pueByCluster(input.unified))] : []),
      ...(input.energy
        ? [
            machineSection(ENERGY_BY_CLUSTER, input.energy.byCluster),
            machineSection(ENERGY_BY_NAMESPACE, input.energy.byNamespace),
          ]
        : []),
    ],
    view: reportView(input),
  };
}
