import { boardPowerNowWatts, fleetCounts, type ReportInput, statusCounts } from './report-input';
import { formatEnergy, formatHours, formatNumber, formatPercent, formatPower, formatTime } from './units';

const plural = (n: number, one: string, many = `${one}s`): string =>
  `${formatNumber(n)} ${n === 1 ? one : many}`;
const were = (n: number): string => (n === 1 ? 'was' : 'were');

/** "the day", "the 3 days", "the 6 hours", "the 15 minutes", "the 10 seconds": the range as a reader names it. */
export function rangePhrase(from: Date, to: Date): string {
  const seconds = Math.round((to.getTime() - from.getTime()) / 1000);
  const h = seconds / 3600;
  if (seconds === 86_400) return 'the day';
  if (h >= 48 && Number.isInteger(h / 24)) return `the ${h / 24} days`;
  if (h >= 2) return `the ${formatNumber(h, Number.isInteger(h) ? 0 : 1)} hours`;
  if (seconds >= 120)
    return `the ${formatNumber(seconds / 60, Number.isInteger(seconds / 60) ? 0 : 1)} minutes`;
  return `the ${formatNumber(seconds)} seconds`;
}

/**
 * The first page in words, every sentence generated from the report's own figures (nothing here is computed that a
 * table does not also show).
 */
export function reportSentences(input: ReportInput): string[] {
  const { totals, current, scores, analysedAt } = input;
  const range = rangePhrase(input.from, input.to);
  const { clusters, physicalGpus: physical } = fleetCounts(current);
  const out: string[] = [];

  out.push(
    `Over ${range} (${formatTime(input.from)} to ${formatTime(input.to)}) ${plural(clusters, 'cluster')} with ` +
      `${plural(physical, 'physical GPU')} used ${formatEnergy(totals.energyJoules)} on GPU boards, ` +
      `${formatPower(totals.averagePowerWatts)} on average; they draw ${formatPower(boardPowerNowWatts(current))} now.`,
  );

  const { count, energyJoules } = totals.mostlyIdle;
  out.push(
    count
      ? `${formatNumber(count)} of ${plural(totals.deviceCount, 'GPU')} ${were(count)} idle for most of ${range}; ` +
          `they used ${formatEnergy(energyJoules)}.`
      : `None of the ${plural(totals.deviceCount, 'GPU')} ${were(totals.deviceCount)} idle for most of ${range}.`,
  );

  if (totals.idleGpuSeconds > 0) {
    const share = totals.energyJoules ? (100 * totals.wastedEnergyJoules) / totals.energyJoules : 0;
    out.push(
      `Idle time added up to ${formatHours(totals.idleGpuSeconds)} of GPU time and ${formatEnergy(totals.wastedEnergyJoules)} ` +
        `(${formatPercent(share, 1)} of the GPU energy).`,
    );
  }

  const worstNs = [...totals.namespaces].sort((a, b) => b.idleEnergyJoules - a.idleEnergyJoules)[0];
  if (worstNs && worstNs.idleEnergyJoules > 0)
    out.push(
      `The namespace ${worstNs.namespace ?? '(unallocated)'} on ${worstNs.cluster} left the most energy idle: ` +
        `${formatEnergy(worstNs.idleEnergyJoules)} over ${formatHours(worstNs.idleSeconds)} of GPU time.`,
    );

  if (analysedAt) {
    const counts = statusCounts(scores);
    const parts = [...counts]
      .filter(([, n]) => n > 0)
      .map(([s, n]) => `${formatNumber(n)} ${s.toUpperCase()}`);
    out.push(
      `The analyzer's latest judgement (${formatTime(analysedAt)}): ${parts.join(', ') || 'no GPU in scope'}.`,
    );
  } else
    out.push(
      'The analyzer has not completed an analysis since the service started: no current statuses yet.',
    );
  return out;
}
