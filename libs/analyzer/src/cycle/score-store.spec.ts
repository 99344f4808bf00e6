import { testRecord } from '../scoring/testing/score-records';
import { ScoreStore } from './score-store';

describe('ScoreStore', () => {
  it('hands out its results without copying them, and a re-install of the same list changes nothing', () => {
    const store = new ScoreStore();
    const records = [testRecord('GPU-a', 'idle', 1), testRecord('GPU-b', 'high', 90)];
    store.install(records);
    const version = store.version;
    expect(store.all()).toBe(records);
    expect(store.snapshot()).toBe(store.snapshot());
    // A cycle starts by installing the committed state: the list it installed last time is not rebuilt.
    const map = store.snapshot();
    store.install(records);
    expect(store.version).toBe(version);
    expect(store.snapshot()).toBe(map);
    // A new list (even with equal records) is installed, and earlier snapshots stay as they were.
    store.install([records[1]!]);
    expect(store.version).toBe(version + 1);
    expect([...map.keys()]).toEqual(['GPU-a', 'GPU-b']);
    expect(store.all().map((r) => r.key)).toEqual(['GPU-b']);
  });

  it('lists one record per key when a list repeats a key', () => {
    const store = new ScoreStore();
    store.install([testRecord('GPU-a', 'idle', 1), testRecord('GPU-a', 'high', 90)]);
    expect(store.all().map((r) => [r.key, r.status])).toEqual([['GPU-a', 'high']]);
    store.replace([testRecord('GPU-b', 'low', 20)], new Set(['c1']));
    expect(store.all().map((r) => [r.key, r.stale])).toEqual([
      ['GPU-a', true],
      ['GPU-b', false],
    ]);
  });
});
