import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Registry } from 'prom-client';
import { loadConfig } from '@kcloud/common';
import type { GpuWindowAggregate } from '@kcloud/metrics-source';
import { diffScores } from '../scoring/changes';
import { toRecord } from '../scoring/records';
import type { ScoreStatus } from '../scoring/scoring';
import { WebhookNotifier } from './webhook-notifier';
import { planWebhooks, type WebhookCooldowns } from './webhook-policy';
import { WebhookSender } from './webhook-sender';

const T = new Date('2026-01-01T12:00:00Z');

/** A local receiver that answers each request with the next status in `statuses` (then 200), after `delayMs`. */
async function receiver(statuses: number[] = [], delayMs = 0) {
  const bodies: { path: string; body: Record<string, unknown> }[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      bodies.push({ path: req.url ?? '', body: JSON.parse(text) as Record<string, unknown> });
      setTimeout(() => res.writeHead(statuses.shift() ?? 200).end(), delayMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, bodies, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** A GPU seen before as `normal` that is now `status` (a webhook trigger when idle or low). */
function change(uuid: string, status: ScoreStatus, score: number, pod: string | null = 'nb-0') {
  const a: GpuWindowAggregate = {
    cluster: 'c1',
    node: 'gpu-node-1',
    uuid,
    index: 0,
    model: 'm',
    tenants: pod ? [{ namespace: 'team-a', pod, container: 'jupyter' }] : [],
    observedAt: T,
  };
  const before = toRecord(a, { status: 'normal', score: 50, inputs: {}, sources: {} }, 600, T, undefined);
  const after = toRecord(a, { status, score, inputs: {}, sources: {} }, 600, T, undefined);
  return diffScores(new Map([[before.key, before]]), [after]);
}

function notifier(env: Record<string, string>, now: () => number) {
  const config = loadConfig({ ANALYZER_WEBHOOK_RETRIES: '2', ANALYZER_WEBHOOK_TIMEOUT_MS: '300', ...env });
  const registry = new Registry();
  const counter = new Counter({
    name: 'd',
    help: 'd',
    labelNames: ['target', 'outcome'],
    registers: [registry],
  });
  const n = new WebhookNotifier(config, new WebhookSender(config), counter);
  let cooldowns: WebhookCooldowns = {};
  /** What a cycle does: plan against the cooldowns (persisted in the analyzer state), then deliver. */
  const notify = (changes: ReturnType<typeof change>) => {
    const plan = planWebhooks(changes, cooldowns, now(), n.cooldownMs);
    cooldowns = plan.cooldowns;
    n.deliver(plan.due);
  };
  const count = async (target: string, outcome: string) =>
    (await counter.get()).values.find((v) => v.labels.target === target && v.labels.outcome === outcome)
      ?.value ?? 0;
  return { n: Object.assign(n, { notify }), count };
}

describe('WebhookNotifier', () => {
  it('posts the seed payload to the control API and a text alert to the chat webhook, once per cooldown', async () => {
    const r = await receiver();
    let now = T.getTime();
    const { n, count } = notifier(
      {
        ANALYZER_CONTROL_API_URL: `${r.url}/control`,
        ANALYZER_ALERT_WEBHOOK_URL: `${r.url}/chat`,
        ANALYZER_WEBHOOK_COOLDOWN_SECONDS: '60',
      },
      () => now,
    );
    try {
      n.notify(change('GPU-a', 'idle', 4.567));
      n.notify(change('GPU-a', 'idle', 4));
      await n.drain();
      const control = r.bodies.find((b) => b.path === '/control')!.body;
      expect(control).toEqual({
        gpu_id: 'GPU-a',
        pod: 'nb-0',
        namespace: 'team-a',
        hostname: 'gpu-node-1',
        score: 4.57,
        status: 'idle',
        timestamp: '2026-01-01T12:00:00.000Z',
      });
      const chat = r.bodies.find((b) => b.path === '/chat')!.body;
      expect(chat).toMatchObject({ msg_type: 'text', text: expect.stringContaining('team-a/nb-0') });
      expect(r.bodies).toHaveLength(2);
      now += 61_000;
      n.notify(change('GPU-a', 'low', 12));
      await n.drain();
      expect(r.bodies).toHaveLength(4);
      expect([await count('control', 'success'), await count('alert', 'success')]).toEqual([2, 2]);
    } finally {
      await r.close();
    }
  });

  it('retries 5xx with backoff, gives up on 4xx, and counts failures without throwing', async () => {
    const r = await receiver([503, 503]);
    const { n, count } = notifier({ ANALYZER_CONTROL_API_URL: `${r.url}/control` }, () => T.getTime());
    try {
      n.notify(change('GPU-a', 'idle', 1));
      await n.drain();
      expect(r.bodies).toHaveLength(3);
      expect(await count('control', 'success')).toBe(1);
      n.notify(change('GPU-b', 'idle', 1));
      await n.drain();
      expect(r.bodies).toHaveLength(4);
    } finally {
      await r.close();
    }
    const again = await receiver([400]);
    const second = notifier({ ANALYZER_CONTROL_API_URL: `${again.url}/x` }, () => T.getTime());
    try {
      second.n.notify(change('GPU-c', 'low', 12));
      await second.n.drain();
      expect(again.bodies).toHaveLength(1);
      expect(await second.count('control', 'failure')).toBe(1);
    } finally {
      await again.close();
    }
  });

  it('times out a hanging endpoint and never blocks the caller', async () => {
    const r = await receiver([], 2_000);
    const { n, count } = notifier({ ANALYZER_CONTROL_API_URL: r.url, ANALYZER_WEBHOOK_RETRIES: '0' }, () =>
      T.getTime(),
    );
    try {
      const started = Date.now();
      n.notify(change('GPU-a', 'idle', 1));
      expect(Date.now() - started).toBeLessThan(50);
      await n.drain();
      expect(await count('control', 'failure')).toBe(1);
    } finally {
      await r.close();
    }
  });

  it('posts an unallocated GPU to the chat alert only, as its own event, never to the control API', async () => {
    const r = await receiver();
    const { n } = notifier(
      { ANALYZER_CONTROL_API_URL: `${r.url}/control`, ANALYZER_ALERT_WEBHOOK_URL: `${r.url}/chat` },
      () => T.getTime(),
    );
    try {
      n.notify(change('GPU-free', 'idle', 1, null));
      await n.drain();
      expect(r.bodies.map((b) => b.path)).toEqual(['/chat']);
      expect(r.bodies[0]!.body).toMatchObject({ event: 'unallocated_gpu_underused', pod: null });
    } finally {
      await r.close();
    }
  });
});
