import type { INestApplication } from '@nestjs/common';
import { apiKeysEnv, bearer } from './harness/api-keys';
import { startApp } from './harness/app';
import { pollUntil } from './harness/poll';
import { SocketPool } from './harness/ws-client';

const SECRETS = { tight: 'kc_lt_tight_4c2e9b7a1d0f3865', roomy: 'kc_lt_roomy_8a1d5f3c9e2b7064' };
const TIGHT_UNITS_PER_MINUTE = 4;
const LIVE = `subscription { gpuMetricsUpdated(intervalSeconds: 1, first: 1) { sequence totalCount } }`;

/**
 * gpuMetricsUpdated over real graphql-ws in production mode with API keys: every snapshot is charged to the key's
 * per-minute rate limit (one unit, as the `gpus` poll it replaces), so a key over its budget has its live stream end
 * with RATE_LIMITED instead of reading Prometheus every second for as long as it likes; another key is unaffected.
 */
describe('live GPU metrics charged to the key’s rate limit (production mode, graphql-ws, API keys)', () => {
  let app: INestApplication;
  let url: string;
  const sockets = new SocketPool();

  beforeAll(async () => {
    ({ app, url } = await startApp({
      NODE_ENV: 'production',
      DATA_SOURCE: 'simulated',
      API_KEYS: apiKeysEnv([
        {
          name: 'lt-tight',
          secret: SECRETS.tight,
          role: 'partner',
          rateLimitPerMinute: TIGHT_UNITS_PER_MINUTE,
        },
        { name: 'lt-roomy', secret: SECRETS.roomy, role: 'partner', rateLimitPerMinute: 100_000 },
      ]),
    }));
  });
  afterAll(async () => {
    await sockets.disposeAll();
    await app?.close();
  });

  const subscribe = (secret: string) => {
    return sockets.connect(url, bearer(secret)).subscribe(LIVE);
  };

  it('ends a key’s live stream with RATE_LIMITED once its snapshots used its budget; another key keeps its stream', async () => {
    const tight = subscribe(SECRETS.tight);
    const roomy = subscribe(SECRETS.roomy);
    await tight.done;
    const last = tight.events.at(-1)!;
    expect(last.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    const delivered = tight.events.filter((e) => !e.errors);
    // The subscription itself costs a unit; each delivered snapshot one more: never more than the budget.
    expect(delivered.length).toBeGreaterThan(0);
    expect(delivered.length).toBeLessThanOrEqual(TIGHT_UNITS_PER_MINUTE - 1);
    // The roomy key's stream (the same arguments and scope: the same upstream reads) goes on past that.
    await pollUntil(
      'the roomy key’s later snapshots',
      async () => (roomy.events.length > delivered.length + 1 ? true : undefined),
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(roomy.events.every((e) => !e.errors)).toBe(true);
    roomy.stop();
  });
});
