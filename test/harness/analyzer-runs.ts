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

/** Whether the API at `url` holds the analyzer's leader lock (runs the schedule). */
export async function isLeader(url: string, headers: Record<string, string> = {}): Promise<boolean> {
  const res = await gql<{ analyzerConfig: { leader: boolean } }>(
    url,
    `{ analyzerConfig { leader } }`,
    {},
    headers,
  );
  if (!res.data) throw new Error(`analyzerConfig from ${url}: ${JSON.stringify(res.errors)}`);
  return res.data.analyzerConfig.leader;
}

/**
 * Replicas sharing Redis by role: how many lead (the suites expect one), the first that leads and the first that
 * does not; fails when either role is missing.
 */
export async function byRole<T extends { readonly url: string }>(
  replicas: readonly T[],
  headers: Record<string, string> = {},
): Promise<{ leaders: number; leader: T; follower: T }> {
  const leads = await Promise.all(replicas.map((r) => isLeader(r.url, headers)));
  const leader = replicas.find((_, i) => leads[i]);
  const follower = replicas.find((_, i) => !leads[i]);
  if (!leader || !follower)
    throw new Error(`expected a leader and a follower, got leads ${JSON.stringify(leads)}`);
  return { leaders: leads.filter(Boolean).length, leader, follower };
}
