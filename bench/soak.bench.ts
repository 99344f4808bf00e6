import { record } from './lib';
import { runSoak } from './soak';

/**
 * `npm run bench -- soak`: two API replicas on Redis for SOAK_SECONDS (default 30 minutes) with SOAK_SUBSCRIBERS
 * subscribers (default 500), paced mixed queries (SOAK_QPS, default 20) and the analyzer every 10 s. Figures, not
 * assertions (test/soak.e2e-spec.ts asserts the 2-minute run: no error, no event lost). Live heap after a full GC is
 * sampled per replica through the inspector; SOAK_HEAP_SNAPSHOT_DIR adds heap snapshots at minute 10 and at the end.
 */
async function main(): Promise<void> {
  const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
  const result = await runSoak({
    seconds: num('SOAK_SECONDS', 1800),
    subscribers: num('SOAK_SUBSCRIBERS', 500),
    queriesPerSecond: num('SOAK_QPS', 20),
    analyzerIntervalSeconds: num('SOAK_ANALYZER_INTERVAL_SECONDS', 10),
    log: (line) => process.stdout.write(`${line}\n`),
    heapSnapshotDir: process.env.SOAK_HEAP_SNAPSHOT_DIR,
  });
  record('soak', { ...result });
  if (result.errors || result.eventsLost) process.exitCode = 1;
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
