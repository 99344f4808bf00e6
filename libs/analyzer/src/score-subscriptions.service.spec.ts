import { PubSub } from 'graphql-subscriptions';
import { EventTopics } from '@kcloud/realtime';
import { ANALYSIS_COMPLETED_TRIGGER, SCORE_CHANGES_TRIGGER } from './cycle/analyzer-events';
import { ScoreSubscriptions } from './score-subscriptions.service';
import { diffScores } from './scoring/changes';
import type { ScoreRecord } from './scoring/records';
import type { ScoreStatus } from './scoring/scoring';
import { testRecord } from './scoring/testing/score-records';

const T = new Date('2026-01-01T12:00:00Z');
const clock = { nowMs: () => T.getTime(), now: () => T } as never;

const rec = (uuid: string, namespace: string, status: ScoreStatus, score: number): ScoreRecord =>
  testRecord(uuid, status, score, [{ namespace, pod: `p-${uuid}` }]);

describe('ScoreSubscriptions', () => {
  it('delivers only changes matching the filter, the scope and the subscriber’s minDelta', async () => {
    const pubSub = new PubSub();
    const subs = new ScoreSubscriptions(new EventTopics(pubSub), clock);
    const before = new Map([
      ['GPU-a', rec('GPU-a', 'team-a', 'high', 80)],
      ['GPU-b', rec('GPU-b', 'team-a', 'normal', 50)],
      ['GPU-c', rec('GPU-c', 'team-b', 'high', 80)],
    ]);
    const changes = diffScores(before, [
      rec('GPU-a', 'team-a', 'idle', 3),
      rec('GPU-b', 'team-a', 'normal', 53),
      rec('GPU-c', 'team-b', 'idle', 3),
    ]);
    const teamA = subs.scoreChanges({ namespace: 'team-a' }, 5, {});
    const scopedB = subs.scoreChanges({}, 2, { namespaces: ['team-b'] });
    const pendingA = teamA.next();
    const pendingB = scopedB.next();
    await pubSub.publish(SCORE_CHANGES_TRIGGER, { changes });
    await pubSub.publish(SCORE_CHANGES_TRIGGER, {
      changes: diffScores(new Map(), [rec('GPU-d', 'team-a', 'low', 12)]),
    });
    const a = [(await pendingA).value, (await teamA.next()).value];
    expect(a.map((c) => [c.gpu.gpuId, c.kind, c.gpu.status])).toEqual([
      ['GPU-a', 'STATUS_CHANGED', 'idle'],
      ['GPU-d', 'APPEARED', 'low'],
    ]);
    expect((await pendingB).value.gpu.gpuId).toBe('GPU-c');
    await teamA.return!();
    await scopedB.return!();
  });

  it('rejects a minDelta outside 1–100', () => {
    expect(() =>
      new ScoreSubscriptions(new EventTopics(new PubSub()), clock).scoreChanges({}, 0.5, {}),
    ).toThrow(/minDelta/);
  });

  it('hands the same objects to every subscriber of one (filter, minDelta, scope) and computes them once per event', async () => {
    const pubSub = new PubSub();
    const topics = new EventTopics(pubSub);
    const subs = new ScoreSubscriptions(topics, clock);
    const nowMs = jest.fn(() => T.getTime());
    const counting = new ScoreSubscriptions(topics, { nowMs, now: () => T } as never);
    const same = [
      counting.scoreChanges({ namespace: 'team-a' }, 5, {}),
      counting.scoreChanges({ namespace: 'team-a' }, 5, {}),
    ];
    const other = subs.scoreChanges({ namespace: 'team-a' }, 5, { namespaces: ['team-b'] });
    const pending = [...same, other].map((s) => s.next());
    await pubSub.publish(SCORE_CHANGES_TRIGGER, {
      changes: diffScores(new Map(), [rec('GPU-a', 'team-a', 'low', 12), rec('GPU-b', 'team-b', 'low', 12)]),
    });
    await pubSub.publish(SCORE_CHANGES_TRIGGER, {
      changes: diffScores(new Map(), [rec('GPU-c', 'team-a', 'low', 12)]),
    });
    const [a, b] = await Promise.all(pending.slice(0, 2));
    expect(a!.value).toBe(b!.value);
    expect(a!.value.gpu.gpuId).toBe('GPU-a');
    expect(nowMs).toHaveBeenCalledTimes(1);
    // A scope outside the filter's namespace gets nothing, and its next item is from a later event only if it matches.
    const raced = await Promise.race([pending[2], new Promise((r) => setTimeout(() => r('nothing'), 20))]);
    expect(raced).toBe('nothing');
    for (const s of [...same, other]) await s.return!();
  });

  it('holds one PubSub listener per topic however many subscribe, and none once all left', async () => {
    const pubSub = new PubSub();
    const listeners = (t: string) =>
      (pubSub as unknown as { ee: { listenerCount(t: string): number } }).ee.listenerCount(t);
    const subs = new ScoreSubscriptions(new EventTopics(pubSub), clock);
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const many = Array.from({ length: 50 }, () => subs.analysisCompleted({}));
      expect(listeners(ANALYSIS_COMPLETED_TRIGGER)).toBe(1);
      const got = many.map((s) => s.next());
      const run = {
        id: 1,
        trigger: 'manual',
        startedAt: T,
        completedAt: T,
        durationSeconds: 1,
        gpuCount: 1,
        changedCount: 0,
        failedClusters: [],
      };
      await pubSub.publish(ANALYSIS_COMPLETED_TRIGGER, {
        origin: 'x',
        run,
        records: [rec('GPU-a', 'team-a', 'low', 12)],
      });
      const values = (await Promise.all(got)).map((r) => r.value);
      expect(new Set(values).size).toBe(1);
      expect(values[0]!.stats).toBeDefined();
      for (const s of many) await s.return!();
      expect(listeners(ANALYSIS_COMPLETED_TRIGGER)).toBe(0);
      await new Promise((r) => setImmediate(r));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
