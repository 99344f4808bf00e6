import { GraphQLObjectType, GraphQLSchema, GraphQLString, parse, type ExecutionResult } from 'graphql';
import { executionKey, sharedSubscribe } from './shared-execution';

interface Tick {
  readonly n: number;
}

/** A schema whose `tick` subscription hands the same event objects to every subscriber, as EventTopics does. */
function fixture() {
  const feeds = new Set<(t: Tick) => void>();
  const resolved = jest.fn((t: Tick, _args: unknown, ctx: { scope: string }) => `${ctx.scope}:${t.n}`);
  const Tick = new GraphQLObjectType<Tick, { scope: string }>({
    name: 'Tick',
    fields: { label: { type: GraphQLString, resolve: resolved } },
  });
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLString } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        tick: {
          type: Tick,
          resolve: (t: Tick) => t,
          subscribe: () => {
            const queue: Tick[] = [];
            let wake: ((r: IteratorResult<Tick>) => void) | undefined;
            const feed = (t: Tick) =>
              wake ? (wake({ value: t, done: false }), (wake = undefined)) : queue.push(t);
            feeds.add(feed);
            const it: AsyncIterableIterator<Tick> = {
              next: () =>
                queue.length
                  ? Promise.resolve({ value: queue.shift()!, done: false })
                  : new Promise((r) => (wake = r)),
              return: () => {
                feeds.delete(feed);
                return Promise.resolve({ value: undefined, done: true });
              },
              [Symbol.asyncIterator]: () => it,
            };
            return it;
          },
        },
      },
    }),
  });
  const publish = (t: Tick) => [...feeds].forEach((f) => f(t));
  return { schema, resolved, publish, feeds };
}

const DOC = 'subscription { tick { label } }';

describe('sharedSubscribe', () => {
  it('executes an event once per distinct (document, variables, scope) and shares the result', async () => {
    const { schema, resolved, publish, feeds } = fixture();
    const executed: string[] = [];
    const subscribe = sharedSubscribe({
      scopeKeyOf: (ctx) => (ctx as { scope: string }).scope,
      executed: (f) => executed.push(f),
    });
    const open = (scope: string, text = DOC) =>
      subscribe({ schema, document: parse(text), contextValue: { scope } }) as Promise<
        AsyncIterableIterator<ExecutionResult>
      >;
    // Same document spelled differently (whitespace) shares; another scope never does.
    const subs = await Promise.all([open('a'), open('a'), open('a', 'subscription{tick{label}}'), open('b')]);
    const next = subs.map((s) => s.next());
    publish({ n: 1 });
    const results = (await Promise.all(next)).map((r) => r.value as ExecutionResult);
    expect(results.map((r) => JSON.parse(JSON.stringify(r.data)) as unknown)).toEqual([
      { tick: { label: 'a:1' } },
      { tick: { label: 'a:1' } },
      { tick: { label: 'a:1' } },
      { tick: { label: 'b:1' } },
    ]);
    expect(results[0]).toBe(results[1]);
    expect(results[0]).toBe(results[2]);
    expect(resolved).toHaveBeenCalledTimes(2);
    expect(executed).toEqual(['tick', 'tick']);
    await Promise.all(subs.map((s) => s.return!()));
    expect(feeds.size).toBe(0);
  });

  it('returns the source stream’s errors as a result, as graphql-js subscribe does', async () => {
    const { schema } = fixture();
    const subscribe = sharedSubscribe({ scopeKeyOf: () => '' });
    const result = (await subscribe({ schema, document: parse('subscription { nope }') })) as ExecutionResult;
    expect(result.errors?.[0]?.message).toMatch(/nope/);
  });

  it('keys variables independently of their order and separates scopes', () => {
    const document = parse('subscription($a: String, $b: String) { tick { label } }');
    const { schema } = fixture();
    const k = (v: Record<string, unknown>, s: string) =>
      executionKey({ schema, document, variableValues: v }, s);
    expect(k({ a: '1', b: '2' }, 'x')).toBe(k({ b: '2', a: '1' }, 'x'));
    expect(k({ a: '1' }, 'x')).not.toBe(k({ a: '1' }, 'y'));
    expect(k({ a: '1' }, 'x')).not.toBe(k({ a: '2' }, 'x'));
  });
});
