import { col, type ExportSection } from '../table';
import { type ReportInput, TOP_IDLE_GPUS } from './report-input';
import { reportTables } from './report-sections';
import { summaryFigures } from './report-tables';
import { reportView, type ReportDocument } from './report-view';

export { TOP_IDLE_GPUS };

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
    sections: [summary(input), ...reportTables(input).map((t) => t.machine())],
    view: reportView(input),
  };
}
