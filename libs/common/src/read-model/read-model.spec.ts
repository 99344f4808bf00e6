import { type Connection, pageOf, paginate } from '../graphql/pagination';
import { collationRanks, numericCompare } from './collation';
import { MAX_MEMOISED_SLICES, ReadModel } from './read-model';

interface Row {
  readonly id: number;
  readonly team?: string;
  readonly size: number;
}

const rows: Row[] = Array.from({ length: 200 }, (_, id) => ({
  id,
  team: id % 7 === 0 ? undefined : `team-${id % 5}`,
  size: (id * 37) % 11,
}));
const spec = {
  orders: { id: (a: Row, b: Row) => a.id - b.id, size: (a: Row, b: Row) => a.size - b.size || b.id - a.id },
  dimensions: { team: (r: Row) => r.team },
};

describe('collationRanks', () => {
  it('ranks values in the comparator order and gives values it calls equal one rank', () => {
    const ranks = collationRanks(['b', 'a10', 'a2', 'B', 'a2'], numericCompare);
    const sorted = [...ranks.keys()].sort((x, y) => ranks.get(x)! - ranks.get(y)!);
    expect(sorted).toEqual(['a2', 'a10', 'b', 'B']);
    expect(collationRanks(['x', 'x']).size).toBe(1);
  });
});

describe('ReadModel', () => {
  const model = new ReadModel(rows, spec);

  it('slices by an index and a predicate in the order asked, as filter + sort would', () => {
    for (const order of ['id', 'size'] as const)
      for (const teams of [undefined, ['team-1'], ['team-1', 'team-3'], [], ['nobody']]) {
        const expected = rows
          .filter((r) => !teams || (r.team !== undefined && teams.includes(r.team)))
          .filter((r) => r.size > 3)
          .sort(spec.orders[order]);
        expect(
          model.slice(order, {
            key: JSON.stringify(teams),
            within: { team: teams },
            where: (r) => r.size > 3,
          }),
        ).toEqual(expected);
      }
  });

  it('memoises a slice per key and order until the model is replaced', () => {
    const a = model.slice('size', { key: 'k', within: { team: ['team-2'] } });
    expect(model.slice('size', { key: 'k', within: { team: ['team-2'] } })).toBe(a);
    expect(model.slice('id', { key: 'k', within: { team: ['team-2'] } })).not.toBe(a);
  });

  it('keeps the memo bounded', () => {
    const m = new ReadModel(rows, spec);
    const first = m.slice('id', { key: 'first', where: () => true });
    for (let i = 0; i < MAX_MEMOISED_SLICES; i++) m.slice('id', { key: String(i), where: () => true });
    expect(m.slice('id', { key: 'first', where: () => true })).not.toBe(first);
  });
});

describe('ReadModel indexes of every size', () => {
  // 1,000 rows: a unique id (one row per value), a big team (>= 64 rows per value) and small ones.
  const many: Row[] = Array.from({ length: 1000 }, (_, id) => ({
    id,
    team: id % 10 === 0 ? 'small' : `big-${id % 3}`,
    size: id % 13,
  }));
  const m = new ReadModel(many, {
    orders: { size: (a: Row, b: Row) => a.size - b.size || a.id - b.id },
    dimensions: { team: (r: Row) => r.team, id: (r: Row) => String(r.id) },
  });

  it('counts and slices single rows, short lists and long lists as filter + sort would', () => {
    for (const [dim, values] of [
      ['id', ['7']],
      ['id', ['7', '993', '7', 'none']],
      ['team', ['small']],
      ['team', ['big-1']],
      ['team', ['big-0', 'small']],
    ] as const) {
      const pick = (r: Row) => values.includes((dim === 'id' ? String(r.id) : r.team) as never);
      const expected = many.filter(pick).sort((a, b) => a.size - b.size || a.id - b.id);
      expect(m.slice('size', { key: `${dim}:${values.join()}`, within: { [dim]: values } })).toEqual(
        expected,
      );
      if (values.length === 1) expect(m.count(dim, values[0])).toBe(expected.length);
    }
    expect(m.count('id', 'none')).toBe(0);
  });
});

describe('pageOf', () => {
  it('gives the pages and cursors paginate gives, mapping only the page', () => {
    const items = rows.map((r) => r.id);
    let after: string | null = null;
    let mapped = 0;
    do {
      const page: Connection<number> = pageOf(items, 30, after, (n) => (mapped++, n));
      expect(page).toEqual(paginate(items, 30, after));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(mapped).toBe(items.length);
    expect(() => pageOf(items, 1001, null, (n) => n)).toThrow('first must be an integer');
  });
});
