import { pushIterator } from './push-iterator';

/** A source the test pushes into by hand; `stopped` counts how often it was stopped. */
function source() {
  const s = { push: (_: number): void => undefined, stopped: 0 };
  const subscribe = (push: (v: number) => void) => {
    s.push = push;
    return () => void s.stopped++;
  };
  return { s, subscribe };
}

describe('pushIterator', () => {
  it('queue: hands over every value pushed before the consumer pulls, in order', async () => {
    const { s, subscribe } = source();
    const it = pushIterator(subscribe, 'queue');
    s.push(1);
    s.push(2);
    s.push(3);
    expect([await it.next(), await it.next(), await it.next()].map((r) => r.value)).toEqual([1, 2, 3]);
  });

  it('latest: a slow consumer gets only the newest value', async () => {
    const { s, subscribe } = source();
    const it = pushIterator(subscribe, 'latest');
    for (const v of [1, 2, 3]) s.push(v);
    expect((await it.next()).value).toBe(3);
    const pending = it.next();
    s.push(4);
    expect(await pending).toEqual({ value: 4, done: false });
  });

  it('return() stops the source once, settles a waiting next() and drops what was buffered', async () => {
    const { s, subscribe } = source();
    const it = pushIterator(subscribe, 'queue');
    const waiting = it.next();
    await it.return!();
    await it.return!();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(s.stopped).toBe(1);
    s.push(5);
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it('throw() stops the source and rethrows', async () => {
    const { s, subscribe } = source();
    const it = pushIterator(subscribe, 'latest');
    await expect(it.throw!(new Error('boom'))).rejects.toThrow('boom');
    expect(s.stopped).toBe(1);
  });
});
