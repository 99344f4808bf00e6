import type { AiVerdict } from './ai-answer';
import { AiResults } from './ai-results';

const VERDICT: AiVerdict = {
  status: 'idle',
  confidence: 0.9,
  reason: 'r',
  recommendation: 'x',
  adjustedScore: 3,
  model: 'm',
};
const entry = (stateKey: string, confident = true, expiresAtMs = 10_000) => ({
  stateKey,
  verdict: VERDICT,
  confident,
  analyzedAtMs: 0,
  expiresAtMs,
});

describe('AiResults (answers and the cache)', () => {
  it('hits only for the same state and before the TTL runs out', () => {
    const r = new AiResults();
    r.put('gpu-1', entry('s1'));
    expect(r.current('gpu-1', 's1', 9_999)).toBeDefined();
    expect(r.current('gpu-1', 's2', 0)).toBeUndefined();
    expect(r.current('gpu-1', 's1', 10_000)).toBeUndefined();
    expect(r.current('gpu-2', 's1', 0)).toBeUndefined();
  });

  it('keeps a low-confidence answer as a cache hit but does not show it', () => {
    const r = new AiResults();
    r.put('gpu-1', entry('s1', false));
    expect(r.current('gpu-1', 's1', 0)).toBeDefined();
    expect(r.shown('gpu-1', 's1', 0)).toBeUndefined();
  });

  it('prunes answers about a left state, expired ones and vanished GPUs, and bumps its version', () => {
    const r = new AiResults();
    r.put('same', entry('s'));
    r.put('moved', entry('old'));
    r.put('expired', entry('s', true, 5));
    r.put('gone', entry('s'));
    const before = r.version;
    r.prune(
      new Map([
        ['same', 's'],
        ['moved', 'new'],
        ['expired', 's'],
      ]),
      5,
    );
    expect([...r.keys()]).toEqual(['same']);
    expect(r.version).toBeGreaterThan(before);
  });
});
