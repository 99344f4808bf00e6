import 'reflect-metadata';
import { RESOLVER_PROPERTY_METADATA } from '@nestjs/graphql/dist/graphql.constants';
import { type PartialErrorsContext, UNRESTRICTED } from '@kcloud/common';
import { defineUpstreamFields, type UpstreamField } from './upstream-fields';

class Reader {
  constructor(readonly scale: number) {}
}

interface Row extends UpstreamField {
  readonly pick: (p: { a: number; b: number }) => number;
}

const ROWS: readonly Row[] = [
  { name: 'alpha', description: 'a', pick: (p) => p.a },
  { name: 'beta', description: 'b', pick: (p) => p.b },
];

defineUpstreamFields<Reader, { a: number; b: number }, Row>(Reader, ROWS, async function (row, parent) {
  return row.pick(parent) * this.scale;
});

describe('defineUpstreamFields', () => {
  it('defines one field resolver per row, each running the shared body with its row and the resolver as this', async () => {
    const reader = new Reader(10) as Reader & Record<string, (...args: unknown[]) => Promise<number | null>>;
    const ctx = {} as PartialErrorsContext;
    expect(await reader.alpha!({ a: 1, b: 2 }, ctx, UNRESTRICTED)).toBe(10);
    expect(await reader.beta!({ a: 1, b: 2 }, ctx, UNRESTRICTED)).toBe(20);
  });

  it('marks each method as a field resolver', () => {
    const proto = Reader.prototype as unknown as Record<string, object>;
    expect(ROWS.map((r) => Reflect.getMetadata(RESOLVER_PROPERTY_METADATA, proto[r.name]!))).toEqual([
      true,
      true,
    ]);
  });
});
