import { badInput } from '../errors/domain-error';
import { type Connection, decodeCursor, DEFAULT_PAGE_SIZE, encodeCursor, MAX_PAGE_SIZE } from '../graphql/pagination';

/**
 * `paginate` for a list kept in a read model: the cursor is the same offset cursor (`o:<offset>`, base64url), so a
 * page is `first` rows after it (no scan), and only the page's rows are mapped to GraphQL objects.
 */
export function pageOf<T, U>(
  items: readonly T[],
  first: number | undefined,
  after: string | undefined | null,
  map: (item: T) => U,
): Connection<U> {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw badInput('first', `first must be an integer between 0 and ${MAX_PAGE_SIZE}`);
  }
  const start = after ? decodeCursor(after) + 1 : 0;
  const end = Math.min(items.length, start + size);
  const edges: { cursor: string; node: U }[] = [];
  for (let i = start; i < end; i++) edges.push({ cursor: encodeCursor(i), node: map(items[i]!) });
  return {
    totalCount: items.length,
    edges,
    pageInfo: {
      hasNextPage: start + size < items.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
