import { gql } from './graphql-client';
import { pollUntil } from './poll';

/** When the API's last analysis cycle started (epoch ms); 0 before the first. */
export async function lastRunStartMs(url: string): Promise<number> {
  const res = await gql<{ analyzerConfig: { lastRun: { startedAt: string } | null } }>(
    url,
    `{ analyzerConfig { lastRun { startedAt } } }`,
  );
  const started = res.data?.analyzerConfig.lastRun?.startedAt;
  return started ? Date.parse(started) : 0;
}

/**
 * Waits for a cycle that started a full window after `readyMs` (when Prometheus had every series), so the results
 * judged average over a whole window of samples.
 */
export async function waitForFullWindowCycle(
  url: string,
  windowSeconds: number,
  readyMs: number,
): Promise<void> {
  await pollUntil(
    'a cycle over a full window of samples',
    async () => ((await lastRunStartMs(url)) > readyMs + windowSeconds * 1000 ? true : undefined),
    { timeoutMs: 60_000, intervalMs: 500 },
  );
}
