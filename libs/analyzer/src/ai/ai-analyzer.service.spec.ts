import { Logger } from '@nestjs/common';
import type { PubSubEngine } from 'graphql-subscriptions';
import { Counter, Histogram, Registry } from 'prom-client';
import type { DataVersions } from '@kcloud/cache';
import { loadConfig } from '@kcloud/common';
import { type LeaderLock, SharedState } from '@kcloud/realtime';
import { AnalyzerConfigService } from '../analyzer-config.service';
import { ScoreStore } from '../cycle/score-store';
import type { ScoreRecord } from '../scoring/records';
import { AiAnalyzer } from './ai-analyzer.service';
import type { ChatCompletionRequest } from './ai-prompt';
import { scoreRecord } from './ai-test-records';
import { ChatCompletionError, type ChatCompletionsClient } from './chat-completions.client';

const NOW = Date.UTC(2026, 0, 1, 12);
const KEY = 'sk-test-5f2a9c';

const answer = (status = 'idle', confidence = 0.9) => ({
  model: 'test-model',
  choices: [
    {
      message: {
        content: JSON.stringify({ status, confidence, reason: 'r', recommendation: 'x', adjustedScore: 7 }),
      },
    },
  ],
});

function setup(
  env: Record<string, string> = {},
  reply: (req: ChatCompletionRequest) => Promise<unknown> = async () => answer(),
  shared = new SharedState(loadConfig({})),
) {
  const app = loadConfig({ ANALYZER_AI_API_URL: 'http://ai.local/v1', ANALYZER_AI_API_KEY: KEY, ...env });
  const registry = new Registry();
  const requests = new Counter({ name: 'req', help: 'h', labelNames: ['outcome'], registers: [registry] });
  const skipped = new Counter({ name: 'skip', help: 'h', labelNames: ['reason'], registers: [registry] });
  const duration = new Histogram({ name: 'dur', help: 'h', registers: [registry] });
  const store = new ScoreStore();
  const clock = { ms: NOW };
  const sent: ChatCompletionRequest[] = [];
  const client = {
    configured: true,
    complete: jest.fn(async (req: ChatCompletionRequest) => {
      sent.push(req);
      return reply(req);
    }),
  } as unknown as ChatCompletionsClient;
  const ai = new AiAnalyzer(
    app,
    new AnalyzerConfigService(app),
    store,
    client,
    { now: () => new Date(clock.ms), nowMs: () => clock.ms },
    { id: 'me', isLeader: () => true } as unknown as LeaderLock,
    { subscribe: async () => 1, unsubscribe: () => undefined } as unknown as PubSubEngine,
    shared,
    { register: () => undefined } as unknown as DataVersions,
    requests,
    skipped,
    duration,
  );
  const count = async (c: Counter<string>, label: string, value: string) =>
    (await c.get()).values.find((v) => v.labels[label] === value)?.value ?? 0;
  return { ai, store, clock, sent, count, requests, skipped };
}

/** The GPU each request asked about, as the evidence names it. */
const asked = (sent: readonly ChatCompletionRequest[]) =>
  sent.map((r) => (JSON.parse(r.messages[1]!.content) as { gpu: { id: string } }).gpu.id);

const fleet: ScoreRecord[] = [
  scoreRecord('idle-1', 2, 'idle'),
  scoreRecord('idle-2', 4, 'idle'),
  scoreRecord('low-1', 15, 'low'),
  scoreRecord('near', 23, 'normal'),
  scoreRecord('busy', 50, 'normal'),
  scoreRecord('hot', 95, 'high'),
  scoreRecord('broken', undefined, 'unknown'),
];

describe('AiAnalyzer', () => {
  let warn: jest.SpyInstance;
  beforeAll(() => {
    jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterAll(() => jest.restoreAllMocks());

  it('asks only about idle, low and near-threshold GPUs, and shows each answer on its GPU', async () => {
    const { ai, store, sent } = setup();
    store.install(fleet);
    const summary = await ai.analyzeNow();
    expect(asked(sent).sort()).toEqual(['idle-1', 'idle-2', 'low-1', 'near']);
    expect(summary).toEqual({ candidates: 4, cached: 0, capped: 0, probing: false, outcomes: { ok: 4 } });
    expect(ai.analysisOf('idle-1')).toEqual({
      status: 'idle',
      confidence: 0.9,
      reason: 'r',
      recommendation: 'x',
      adjustedScore: 7,
      model: 'test-model',
      analyzedAt: new Date(NOW),
    });
    expect(ai.analysisOf('busy')).toBeUndefined();
  });

  it('sends at most ANALYZER_AI_MAX_GPUS_PER_CYCLE per pass, most wasteful first; the rest wait for a later pass', async () => {
    const { ai, store, sent, count, skipped } = setup({ ANALYZER_AI_MAX_GPUS_PER_CYCLE: '2' });
    store.install(fleet);
    expect(await ai.analyzeNow()).toMatchObject({ candidates: 4, cached: 0, capped: 2 });
    expect(asked(sent)).toEqual(['idle-1', 'idle-2']);
    expect(await count(skipped, 'reason', 'cap')).toBe(2);
    // The next pass: the first two are cached, so the cap goes to the others.
    expect(await ai.analyzeNow()).toMatchObject({ cached: 2, capped: 0 });
    expect(asked(sent.slice(2))).toEqual(['low-1', 'near']);
  });

  it('asks again only when the GPU state changes or the TTL runs out', async () => {
    const { ai, store, sent, clock } = setup({ ANALYZER_AI_CACHE_TTL_SECONDS: '600' });
    store.install([scoreRecord('gpu', 5, 'idle')]);
    await ai.analyzeNow();
    store.install([scoreRecord('gpu', 6, 'idle')]); // same 5-point bucket
    await ai.analyzeNow();
    expect(sent).toHaveLength(1);
    store.install([scoreRecord('gpu', 12, 'low')]);
    expect(ai.analysisOf('gpu')).toBeUndefined(); // the answer was about the idle state
    await ai.analyzeNow();
    expect(sent).toHaveLength(2);
    clock.ms += 600_000;
    await ai.analyzeNow();
    expect(sent).toHaveLength(3);
  });

  it('keeps an answer below ANALYZER_AI_THRESHOLD out of sight, and does not ask again for that state', async () => {
    const { ai, store, sent, count, requests } = setup({ ANALYZER_AI_THRESHOLD: '0.8' }, async () =>
      answer('idle', 0.5),
    );
    store.install([scoreRecord('gpu', 5, 'idle')]);
    await ai.analyzeNow();
    await ai.analyzeNow();
    expect(ai.analysisOf('gpu')).toBeUndefined();
    expect(sent).toHaveLength(1);
    expect(await count(requests, 'outcome', 'low_confidence')).toBe(1);
  });

  it.each<[string, () => Promise<unknown>, string]>([
    ['HTTP 500', async () => Promise.reject(new ChatCompletionError('http_error', 'HTTP 500')), 'http_error'],
    ['a timeout', async () => Promise.reject(new ChatCompletionError('timeout', 'no answer')), 'timeout'],
    ['prose', async () => ({ choices: [{ message: { content: 'It is idle.' } }] }), 'invalid_answer'],
    [
      'an out-of-range score',
      async () => ({
        choices: [
          {
            message: {
              content: JSON.stringify({
                status: 'idle',
                confidence: 0.9,
                reason: 'r',
                recommendation: 'x',
                adjustedScore: 400,
              }),
            },
          },
        ],
      }),
      'invalid_answer',
    ],
    ['a thrown bug', async () => Promise.reject(new TypeError('boom')), 'network_error'],
  ])(
    'counts %s as a failure, shows nothing, keeps the results untouched, and only probes on the next pass',
    async (_n, reply, outcome) => {
      const { ai, store, sent, count, requests } = setup({}, reply);
      store.install(fleet);
      const before = store.all();
      const version = store.version;
      warn.mockClear();
      const summary = await ai.analyzeNow();
      expect(summary.outcomes).toEqual({ [outcome]: 4 });
      expect(await count(requests, 'outcome', outcome)).toBe(4);
      expect(fleet.map((r) => ai.analysisOf(r.key))).toEqual(fleet.map(() => undefined));
      expect(store.all()).toEqual(before);
      expect(store.version).toBe(version);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('4 of 4 requests failed'));
      expect(warn.mock.calls.flat().join(' ')).not.toContain(KEY);
      // Failures are not cached, but a failing endpoint is only probed: one request, the most wasteful GPU first.
      expect(await ai.analyzeNow()).toMatchObject({ probing: true, capped: 3, outcomes: { [outcome]: 1 } });
      expect(asked(sent.slice(4))).toEqual(['idle-1']);
    },
  );

  it('goes back to the full cap once a probe is answered', async () => {
    let healthy = false;
    const { ai, store, sent, count, skipped } = setup({}, async () =>
      healthy ? answer() : Promise.reject(new ChatCompletionError('http_error', 'HTTP 429')),
    );
    store.install(fleet);
    await ai.analyzeNow(); // 4 fail
    await ai.analyzeNow(); // 1 probe fails
    expect(await count(skipped, 'reason', 'probing')).toBe(3);
    healthy = true;
    expect(await ai.analyzeNow()).toMatchObject({ probing: true, outcomes: { ok: 1 } });
    expect(await ai.analyzeNow()).toMatchObject({ probing: false, cached: 1, outcomes: { ok: 3 } });
    expect(sent).toHaveLength(4 + 1 + 1 + 3);
    expect(
      fleet
        .filter((r) => ai.analysisOf(r.key))
        .map((r) => r.key)
        .sort(),
    ).toEqual(['idle-1', 'idle-2', 'low-1', 'near']);
  });

  it('runs passes one after another, and callers arriving while one is queued share it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { ai, store, sent } = setup({}, async () => {
      await gate;
      return answer();
    });
    store.install([scoreRecord('gpu', 5, 'idle')]);
    const first = ai.analyzeNow();
    await new Promise((r) => setImmediate(r));
    const second = ai.analyzeNow();
    const third = ai.analyzeNow();
    expect(third).toBe(second);
    release();
    await Promise.all([first, second]);
    // The queued pass found the first one's answer cached.
    expect(sent).toHaveLength(1);
    expect(await second).toMatchObject({ cached: 1 });
  });

  it('shares its answers: another replica shows them, and a restarted one asks nothing again', async () => {
    const shared = new SharedState(loadConfig({}));
    const leader = setup({}, undefined, shared);
    const follower = setup({}, undefined, shared);
    await follower.ai.onModuleInit();
    for (const s of [leader, follower]) s.store.install([scoreRecord('gpu', 5, 'idle')]);
    await leader.ai.analyzeNow();
    await new Promise((r) => setImmediate(r));
    expect(follower.ai.analysisOf('gpu')).toEqual(leader.ai.analysisOf('gpu'));
    expect(follower.ai.analysisOf('gpu')).toBeDefined();

    const restarted = setup({}, undefined, shared);
    await restarted.ai.onModuleInit();
    restarted.store.install([scoreRecord('gpu', 5, 'idle')]);
    expect(await restarted.ai.analyzeNow()).toMatchObject({ cached: 1 });
    expect(restarted.sent).toHaveLength(0);
  });

  it('refuses useAi without an endpoint, with NOT_SUPPORTED', () => {
    const app = loadConfig({});
    const ai = new AiAnalyzer(
      app,
      new AnalyzerConfigService(app),
      new ScoreStore(),
      { configured: false } as ChatCompletionsClient,
      { now: () => new Date(), nowMs: () => Date.now() },
      {} as LeaderLock,
      {} as PubSubEngine,
      new SharedState(app),
      { register: () => undefined } as unknown as DataVersions,
      {} as Counter<string>,
      {} as Counter<string>,
      {} as Histogram<string>,
    );
    expect(() => ai.assertConfigured()).toThrow(expect.objectContaining({ code: 'NOT_SUPPORTED' }));
  });
});
