import { PubSub, type PubSubEngine } from 'graphql-subscriptions';
import { EventTopics } from './event-topics';

const listenerCount = (pubSub: PubSub, t: string) =>
  (pubSub as unknown as { ee: { listenerCount(t: string): number } }).ee.listenerCount(t);

describe('EventTopics', () => {
  it('holds one PubSub listener per topic for any number of subscribers, and none after the last left', async () => {
    const pubSub = new PubSub();
    const topics = new EventTopics(pubSub);
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const subs = Array.from({ length: 500 }, () => topics.iterate<{ n: number }>('t'));
      const other = topics.iterate<{ n: number }>('u');
      expect(listenerCount(pubSub, 't')).toBe(1);
      expect(topics.activeTopics).toBe(2);
      const first = subs.map((s) => s.next());
      const event = { n: 1 };
      await pubSub.publish('t', event);
      await pubSub.publish('t', { n: 2 });
      // Every subscriber gets the very same object, then the queued second event.
      for (const r of await Promise.all(first)) expect(r.value).toBe(event);
      expect((await subs[7]!.next()).value).toEqual({ n: 2 });
      await Promise.all(subs.map((s) => s.return!()));
      await other.return!();
      expect(listenerCount(pubSub, 't')).toBe(0);
      expect(topics.activeTopics).toBe(0);
      await new Promise((r) => setImmediate(r));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('ends a pending next() when returned', async () => {
    const topics = new EventTopics(new PubSub());
    const it = topics.iterate('t');
    const pending = it.next();
    await it.return!();
    await expect(pending).resolves.toEqual({ value: undefined, done: true });
  });

  it('unsubscribes once an asynchronous subscribe settles after everyone already left', async () => {
    let settle!: (id: number) => void;
    const unsubscribe = jest.fn();
    const engine = {
      subscribe: jest.fn(() => new Promise<number>((r) => (settle = r))),
      unsubscribe,
    } as unknown as PubSubEngine;
    const topics = new EventTopics(engine);
    const it = topics.iterate('t');
    await it.return!();
    settle(42);
    await new Promise((r) => setImmediate(r));
    expect(unsubscribe).toHaveBeenCalledWith(42);
  });
});
