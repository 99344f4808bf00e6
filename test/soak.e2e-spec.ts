import { runSoak } from '../bench/soak';

/**
 * The 2-minute soak (`SOAK_SECONDS=120`) as a CI check: two API processes on Redis, 500 subscribers, paced mixed
 * queries from four keys, the analyzer every 10 s. Timing is reported, not asserted; errors and lost events are.
 */
describe('soak: two replicas on Redis under subscribers and mixed queries', () => {
  it('answers every query and delivers every analysisCompleted to every subscriber', async () => {
    const result = await runSoak({
      seconds: Number(process.env.SOAK_SECONDS ?? 120),
      subscribers: Number(process.env.SOAK_SUBSCRIBERS ?? 500),
      queriesPerSecond: 20,
      analyzerIntervalSeconds: 10,
    });
    process.stdout.write(`soak: ${JSON.stringify(result)}\n`);
    expect(result.errorSamples).toEqual([]);
    expect(result.errors).toBe(0);
    expect(result.eventsPublished).toBeGreaterThan(0);
    expect(result.eventsLost).toBe(0);
    expect(result.eventsReceived).toBe(result.eventsExpected);
  }, 600_000);
});
