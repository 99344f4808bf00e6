import { type Type } from '@nestjs/common';
import { Field, Int, ObjectType } from '@nestjs/graphql';
import { badInput } from '../errors/domain-error';

export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_PAGE_SIZE = 100;

@ObjectType()
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field() hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

export interface Edge<T> {
  readonly cursor: string;
  readonly node: T;
}

export interface Connection<T> {
  readonly totalCount: number;
  readonly edges: readonly Edge<T>[];
  readonly pageInfo: PageInfo;
}

/**
 * Code-first generic connection: `class GpuConnection extends ConnectionType(Gpu) {}` (decorated @ObjectType())
 * gives `GpuConnection { totalCount edges { cursor node } pageInfo }`.
 */
export function ConnectionType<T>(node: Type<T>, name = node.name): abstract new () => Connection<T> {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field() cursor!: string;
    @Field(() => node) node!: T;
  }

  @ObjectType({ isAbstract: true })
  abstract class ConnectionClass {
    @Field(() => Int) totalCount!: number;
    @Field(() => [EdgeType]) edges!: EdgeType[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
  }
  return ConnectionClass;
}

// Cursors are opaque to clients; an offset in a stable order is enough for lists we rebuild per request.
const PREFIX = 'o:';
export const encodeCursor = (offset: number): string =>
  Buffer.from(`${PREFIX}${offset}`).toString('base64url');

export function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const offset = Number(text.slice(PREFIX.length));
  if (!text.startsWith(PREFIX) || !Number.isInteger(offset) || offset < 0)
    throw badInput('after', 'after is not a valid cursor');
  return offset;
}

/**
 * Slices an already ordered list into a page; `first` is bounded so no client pulls an unbounded page. Only the
 * page's rows go through `map` (a read model keeps thousands of rows; a page maps at most `first`).
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

/** `pageOf` without a mapping: the rows are already the GraphQL objects. */
export const paginate = <T>(
  items: readonly T[],
  first: number | undefined,
  after: string | undefined | null,
): Connection<T> => pageOf(items, first, after, (item: T): T => item);
