import { defaultScenario } from '@kcloud/fleet-model';
import { midBucketSteps, type RangeVariables, waitForScrapesPast } from './history-range';
import type { Stack } from './stack';
import { bothScrapeShapes } from './stacks';
import { useStack } from './use-stack';

export interface HistoryStack {
  readonly stack: Stack;
  /** When the stack was up (its series scraped): the steps before it hold no values. */
  readonly startedMs: number;
  /** `points` mid-bucket steps from two ticks before the start (see midBucketSteps), once all are scraped. */
  scrapedSteps(points: number): Promise<{ readonly timestamps: number[]; readonly range: RangeVariables }>;
}

/**
 * The stack of the device-history suites: the default fleet ticking every `tickSeconds` (so values change between
 * steps), both scrape shapes, realtime cache off; started and closed by the describe block's hooks.
 */
export function useHistoryStack(tickSeconds: number): HistoryStack {
  const scenario = { ...defaultScenario(), tickSeconds };
  const stack = useStack(scenario, bothScrapeShapes(scenario), { CACHE_TTL_REALTIME_SECONDS: '0' });
  let startedMs: number | undefined;
  beforeAll(() => {
    startedMs = Date.now();
  });
  const started = () => {
    if (startedMs === undefined) throw new Error('the history stack is not running');
    return startedMs;
  };
  return {
    stack,
    get startedMs() {
      return started();
    },
    async scrapedSteps(points) {
      const steps = midBucketSteps(started(), tickSeconds, points);
      await waitForScrapesPast(steps.timestamps.at(-1)!);
      return steps;
    },
  };
}
