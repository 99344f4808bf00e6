import { SnapshotMemo } from './snapshot-memo';

describe('SnapshotMemo', () => {
  it('computes once per snapshot and key, again after a re-read (a new snapshot object)', () => {
    const memo = new SnapshotMemo<number[]>();
    const compute = jest.fn(() => [1, 2, 3]);
    const samples = { items: [] };
    const evidence = { items: [] };
    const first = memo.get([samples, evidence], 'k', compute);
    expect(memo.get([samples, evidence], 'k', compute)).toBe(first);
    expect(compute).toHaveBeenCalledTimes(1);
    memo.get([samples, evidence], 'other', compute);
    memo.get([samples, { items: [] }], 'k', compute);
    memo.get([{ items: [] }, evidence], 'k', compute);
    expect(compute).toHaveBeenCalledTimes(4);
  });

  it('keeps a bounded number of keys per snapshot', () => {
    const memo = new SnapshotMemo<number>(2);
    const snapshot = {};
    let calls = 0;
    for (const key of ['a', 'b', 'c']) memo.get([snapshot], key, () => ++calls);
    memo.get([snapshot], 'a', () => ++calls);
    expect(calls).toBe(4);
  });
});
