import { diffScores } from '../scoring/changes';
import type { ScoreRecord } from '../scoring/records';
import type { ScoreStatus } from '../scoring/scoring';
import { testRecord } from '../scoring/testing/score-records';
import { planWebhooks, webhookTrigger } from './webhook-policy';

const record = (uuid: string, status: ScoreStatus): ScoreRecord => testRecord(uuid, status, 1);

const changesFrom = (before: [string, ScoreStatus][], after: [string, ScoreStatus][]) =>
  diffScores(
    new Map(before.map(([k, s]) => [k, record(k, s)])),
    after.map(([k, s]) => record(k, s)),
  );

describe('webhookTrigger', () => {
  it.each<[string, [string, ScoreStatus][], ScoreStatus, boolean]>([
    ['first sight of an idle GPU (no prior state)', [], 'idle', false],
    ['normal → idle', [['GPU-a', 'normal']], 'idle', true],
    ['high → low', [['GPU-a', 'high']], 'low', true],
    ['unknown → idle', [['GPU-a', 'unknown']], 'idle', true],
    ['idle → low (already underused)', [['GPU-a', 'idle']], 'low', false],
    ['low → normal', [['GPU-a', 'low']], 'normal', false],
  ])('%s → %s', (_name, before, status, expected) => {
    expect(changesFrom(before, [['GPU-a', status]]).some(webhookTrigger)).toBe(expected);
  });
});

describe('planWebhooks', () => {
  const MIN = 60_000;
  it('claims each GPU once per cooldown and prunes expired claims', () => {
    const changes = changesFrom(
      [
        ['GPU-a', 'normal'],
        ['GPU-b', 'normal'],
      ],
      [
        ['GPU-a', 'idle'],
        ['GPU-b', 'idle'],
      ],
    );
    const plan = planWebhooks(changes, { 'GPU-a': 0, 'GPU-old': 0 }, 30 * MIN, 60 * MIN);
    expect(plan.due.map((c) => c.record.key)).toEqual(['GPU-b']);
    expect(plan.cooldowns).toEqual({ 'GPU-a': 0, 'GPU-old': 0, 'GPU-b': 30 * MIN });
    const later = planWebhooks(changes, plan.cooldowns, 61 * MIN, 60 * MIN);
    expect(later.due.map((c) => c.record.key)).toEqual(['GPU-a']);
    expect(later.cooldowns).toEqual({ 'GPU-b': 30 * MIN, 'GPU-a': 61 * MIN });
  });
});
