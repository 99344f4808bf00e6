import { PubSub } from 'graphql-subscriptions';
import type { GpuWindowAggregate } from '@kcloud/metrics-source';
import { SCORE_CHANGES_TRIGGER } from './cycle/analyzer-events';
import { ScoreSubscriptions } from './score-subscriptions.service';
import { diffScores } from './scoring/changes';
import { type ScoreRecord, toRecord } from './scoring/records';
import type { ScoreStatus } from './scoring/scoring';

const T = new Date('2026-01-01T12:00:00Z');
const clock = { nowMs: () => T.getTime(), now: () => T } as never;

function rec(uuid: string, namespace: string, status: ScoreStatus, score: number): ScoreRecord {
  const a: GpuWindowAggregate = {
    cluster: 'c1',
    node: 'n',
    uuid,
    index: 0,
    model: 'm',
    tenants: [{ namespace, pod: `p-${uuid}` }],
    observedAt: T,
  };
  return toRecord(a, { status, score, inputs: {}, sources: {} }, 600, T, undefined);
}

describe('ScoreSubscriptions', () => {
  it('delivers only changes matching the filter, the scope and the subscriber’s minDelta', async () => {
    const pubSub = new PubSub();
    const subs = new ScoreSubscriptions(pubSub, clock);
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
    expect(() => new ScoreSubscriptions(new PubSub(), clock).scoreChanges({}, 0.5, {})).toThrow(/minDelta/);
  });
});
