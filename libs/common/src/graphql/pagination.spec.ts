import { decodeCursor, encodeCursor, MAX_PAGE_SIZE, paginate } from './pagination';
import { DomainError } from '../errors/domain-error';

describe('paginate', () => {
  const items = Array.from({ length: 25 }, (_, i) => i);

  it('returns the first page with the total count and a cursor to continue', () => {
    const page = paginate(items, 10, undefined);
    expect(page.totalCount).toBe(25);
    expect(page.edges.map((e) => e.node)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(page.pageInfo.hasPreviousPage).toBe(false);
  });

  it('continues after the cursor without overlap and stops at the end', () => {
    const first = paginate(items, 10, undefined);
    const second = paginate(items, 10, first.pageInfo.endCursor);
    const third = paginate(items, 10, second.pageInfo.endCursor);
    expect(second.edges[0]?.node).toBe(10);
    expect(third.edges.map((e) => e.node)).toEqual([20, 21, 22, 23, 24]);
    expect(third.pageInfo.hasNextPage).toBe(false);
  });

  it.each([-1, 1.5, MAX_PAGE_SIZE + 1])('rejects first=%p with BAD_USER_INPUT', (first) => {
    expect(() => paginate(items, first, undefined)).toThrow(DomainError);
  });

  it('rejects a forged cursor', () => {
    expect(() => decodeCursor('bm9wZQ')).toThrow(/cursor/);
    expect(decodeCursor(encodeCursor(7))).toBe(7);
  });
});
