import { runSoak } from '../bench/soak';

/**
 * The soak as a CI check: two API processes on Redis, 500 subscribers, paced mixed queries from four keys. Time is
 * compressed against the 30-minute bench (`npm run bench -- soak`, which measures heap and latency): one minute at
 * twice the query rate and the analyzer every 5 s — the 2,400 queries and 12 analyzer cycles (× 500 subscribers) the
 * former 2-minute run made, in half the wall time. Timing is reported, not asserted; errors and lost events are.
 */
describe('soak: two replicas on Redis under subscribers and mixed queries', () => {
  it('answers every query and delivers every analysisCompleted to every subscriber', async () => {
    const result = await runSoak({
      seconds: Number(process.env.SOAK_SECONDS ?? 60),
      subscribers: Number(process.env.SOAK_SUBSCRIBERS ?? 500),
      queriesPerSecond: 40,
      analyzerIntervalSeconds: 5,
    });
    process.stdout.write(`soak: ${JSON.stringify(result)}\n`);
    expect(result.errorSamples).toEqual([]);
    expect(result.errors).toBe(0);
    expect(result.eventsPublished).toBeGreaterThan(0);
    expect(result.eventsLost).toBe(0);
    expect(result.eventsReceived).toBe(result.eventsExpected);
  }, 600_000);
});
