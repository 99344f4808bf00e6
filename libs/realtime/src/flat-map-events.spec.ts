import { PubSub } from 'graphql-subscriptions';
import { flatMapEvents } from './flat-map-events';

describe('flatMapEvents', () => {
  it('yields the mapped items of each batch in order, skipping batches that map to nothing', async () => {
    const pubSub = new PubSub<{ t: number[] }>();
    const events = flatMapEvents(pubSub.asyncIterableIterator<number[]>('t'), (batch) =>
      batch.filter((n) => n % 2 === 0),
    );
    const first = events.next();
    await pubSub.publish('t', [1, 2, 3, 4]);
    await pubSub.publish('t', [5]);
    await pubSub.publish('t', [6]);
    expect([(await first).value, (await events.next()).value, (await events.next()).value]).toEqual([
      2, 4, 6,
    ]);
    await events.return!();
  });

  it('ends a pending next() and unsubscribes from the PubSub when returned', async () => {
    const pubSub = new PubSub<{ t: number[] }>();
    const source = pubSub.asyncIterableIterator<number[]>('t');
    const events = flatMapEvents(source, (batch) => batch);
    const pending = events.next();
    await events.return!();
    await expect(pending).resolves.toEqual({ value: undefined, done: true });
    // Nothing listens any more: a publish reaches no handler.
    expect((pubSub as unknown as { ee: { listenerCount(t: string): number } }).ee.listenerCount('t')).toBe(0);
  });
});
