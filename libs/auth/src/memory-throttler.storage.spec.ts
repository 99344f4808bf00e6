import { MemoryThrottlerStorage } from './memory-throttler.storage';

describe('MemoryThrottlerStorage', () => {
  afterEach(() => jest.useRealTimers());

  it('counts a hit by its weight and blocks once the window holds more than the limit', async () => {
    const storage = new MemoryThrottlerStorage();
    expect(await storage.increment('k', 60_000, 10, 0, 't', 4)).toMatchObject({
      totalHits: 4,
      isBlocked: false,
    });
    expect(await storage.increment('k', 60_000, 10, 0, 't')).toMatchObject({
      totalHits: 5,
      isBlocked: false,
    });
    expect(await storage.increment('k', 60_000, 10, 0, 't', 6)).toMatchObject({
      totalHits: 11,
      isBlocked: true,
      timeToBlockExpire: 60,
    });
    expect(await storage.increment('other', 60_000, 10, 0, 't')).toMatchObject({
      totalHits: 1,
      isBlocked: false,
    });
  });

  it('opens a new window once the first one ended', async () => {
    jest.useFakeTimers({ now: 0 });
    const storage = new MemoryThrottlerStorage();
    await storage.increment('k', 60_000, 10, 0, 't', 50);
    jest.setSystemTime(60_000);
    expect(await storage.increment('k', 60_000, 10, 0, 't', 2)).toMatchObject({
      totalHits: 2,
      isBlocked: false,
      timeToExpire: 60,
    });
  });
});
