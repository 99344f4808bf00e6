import { GpuActivityState } from '../activity/activity-state';
import type { ScoreRecord } from '../scoring/records';
import { DEFAULT_THRESHOLDS, DEFAULT_WEIGHTS } from '../scoring/scoring-config';
import { aiCandidates, aiEvidence, aiStateKey, whyAsk } from './ai-evidence';
import { scoreRecord } from './ai-test-records';

const RULES = { thresholds: DEFAULT_THRESHOLDS, nearThresholdPoints: 5 };
const NOW = Date.UTC(2026, 0, 1, 12);

describe('whyAsk', () => {
  it.each<[string, ScoreRecord, string | undefined]>([
    ['an idle GPU', scoreRecord('a', 3, 'idle'), 'idle'],
    ['a low GPU', scoreRecord('a', 15, 'low'), 'low'],
    ['a normal GPU 4 points above the low threshold', scoreRecord('a', 24, 'normal'), 'near_threshold'],
    [
      'a normal GPU exactly 5 points above the low threshold',
      scoreRecord('a', 25, 'normal'),
      'near_threshold',
    ],
    ['a normal GPU far from every threshold', scoreRecord('a', 45, 'normal'), undefined],
    ['a high GPU 3 points above the high threshold', scoreRecord('a', 73, 'high'), 'near_threshold'],
    ['a busy high GPU', scoreRecord('a', 95, 'high'), undefined],
    ['an UNKNOWN GPU (bad data is never sent)', scoreRecord('a', undefined, 'unknown'), undefined],
    ['a stale idle result', scoreRecord('a', 3, 'idle', { stale: true }), undefined],
    [
      'a wasted GPU whose window score is normal',
      { ...scoreRecord('a', 45, 'normal'), activity: { state: GpuActivityState.IDLE_HELD } } as ScoreRecord,
      'wasted',
    ],
  ])('%s', (_name, record, expected) => {
    expect(whyAsk(record, RULES)).toBe(expected);
  });

  it('follows the configured margin: 0 asks only about idle and low GPUs', () => {
    expect(whyAsk(scoreRecord('a', 21, 'normal'), { ...RULES, nearThresholdPoints: 0 })).toBeUndefined();
    expect(whyAsk(scoreRecord('a', 20, 'normal'), { ...RULES, nearThresholdPoints: 0 })).toBe(
      'near_threshold',
    );
  });
});

describe('aiCandidates', () => {
  it('orders wasted, idle, low, near-threshold, then by score and key', () => {
    const records = [
      scoreRecord('near', 24, 'normal'),
      scoreRecord('low', 12, 'low'),
      scoreRecord('idle-b', 5, 'idle'),
      scoreRecord('busy', 90, 'high'),
      scoreRecord('idle-a', 5, 'idle'),
      {
        ...scoreRecord('wasted', 50, 'normal'),
        activity: { state: GpuActivityState.IDLE_ALLOCATED },
      } as ScoreRecord,
    ];
    expect(aiCandidates(records, RULES).map((c) => c.record.key)).toEqual([
      'wasted',
      'idle-a',
      'idle-b',
      'low',
      'near',
    ]);
  });
});

describe('aiStateKey', () => {
  const base = scoreRecord('gpu-1', 12, 'low');

  it('is the same while inputs stay within their 5-point bucket', () => {
    const drifted = { ...base, inputs: { ...base.inputs, utilizationPercent: 14.9 } };
    expect(aiStateKey(drifted)).toBe(aiStateKey(base));
  });

  it.each<[string, ScoreRecord]>([
    ['the status changes', { ...base, status: 'idle' }],
    ['an input crosses a bucket', { ...base, inputs: { ...base.inputs, memoryUsedPercent: 15 } }],
    ['an input becomes unreadable', { ...base, inputs: { ...base.inputs, powerPercent: undefined } }],
    ['another pod holds the GPU', { ...base, tenants: [{ namespace: 'ns', pod: 'other' }] }],
    [
      'the activity state changes',
      { ...base, activity: { state: GpuActivityState.IDLE_HELD } } as ScoreRecord,
    ],
    ['it is another GPU', { ...base, key: 'gpu-2' }],
  ])('changes when %s', (_name, changed) => {
    expect(aiStateKey(changed)).not.toBe(aiStateKey(base));
  });
});

describe('aiEvidence', () => {
  const rules = { weights: DEFAULT_WEIGHTS, thresholds: DEFAULT_THRESHOLDS };

  it('carries the window averages rounded, the rule-based result, its duration and the pod', () => {
    const record = scoreRecord('gpu-1', 3.14159, 'idle', { reason: 'no compute activity' });
    const e = aiEvidence({ record, why: 'idle' }, rules, NOW);
    expect(e).toMatchObject({
      gpu: { id: 'gpu-1', model: 'NVIDIA A100-SXM4-80GB' },
      windowSeconds: 600,
      rules: { weights: DEFAULT_WEIGHTS, thresholds: DEFAULT_THRESHOLDS },
      ruleBased: { score: 3.1, status: 'idle', reason: 'no compute activity', inStatusForSeconds: 3600 },
      windowAverages: { utilizationPercent: 3.1, powerPercent: 3.1, powerWatts: 80, powerLimitWatts: 400 },
      allocation: { allocated: true, pods: [{ namespace: 'ns', pod: 'pod-gpu-1' }] },
      askedBecause: 'idle',
    });
    expect(e.windowAverages.smClockMHz).toBeNull();
    expect(e.activity).toBeUndefined();
  });

  it('adds the activity state and how long it has held', () => {
    const record = {
      ...scoreRecord('gpu-1', 30, 'normal'),
      activity: {
        state: GpuActivityState.IDLE_HELD,
        sinceMs: NOW - 7_200_000,
        quietSinceMs: NOW - 9_000_000,
        activityPercent: 0.42,
        source: 'GR_ENGINE_ACTIVE',
        idleBaselineWatts: 61.04,
      },
    } as ScoreRecord;
    expect(aiEvidence({ record, why: 'wasted' }, rules, NOW).activity).toEqual({
      state: 'IDLE_HELD',
      inStateForSeconds: 7200,
      quietForSeconds: 9000,
      busyForSeconds: null,
      activityPercent: 0.4,
      signal: 'GR_ENGINE_ACTIVE',
      idleBaselineWatts: 61,
    });
  });

  it('withholds pod and namespace names of a GPU shared across namespaces (the answer is shown to each)', () => {
    const record = scoreRecord('gpu-1', 3, 'idle', {
      tenants: [
        { namespace: 'team-a', pod: 'nb-a' },
        { namespace: 'team-b', pod: 'nb-b' },
      ],
    });
    const e = aiEvidence({ record, why: 'idle' }, rules, NOW);
    expect(e.allocation).toEqual({ allocated: true, sharedByPods: 2, namespaces: 2 });
    expect(JSON.stringify(e)).not.toMatch(/team-|nb-/);
  });

  it('says so when no pod holds the GPU', () => {
    const record = scoreRecord('gpu-1', 3, 'idle', { tenants: [] });
    expect(aiEvidence({ record, why: 'idle' }, rules, NOW).allocation).toEqual({ allocated: false });
  });
});
