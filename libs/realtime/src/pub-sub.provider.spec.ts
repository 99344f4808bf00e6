import { createServer } from 'node:net';
import { createRedisClient } from './redis-client';
import { withHandledUnsubscribe } from './pub-sub.provider';

/** A port nothing listens on: every command fails once ioredis gives up its retry. */
async function deadPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

describe('withHandledUnsubscribe', () => {
  it('keeps the fire-and-forget UNSUBSCRIBE of graphql-redis-subscriptions from ending the process when Redis is down', async () => {
    const unhandled: unknown[] = [];
    const record = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', record);
    const client = withHandledUnsubscribe(createRedisClient(`redis://127.0.0.1:${await deadPort()}`, 'spec'));
    try {
      // As the library does: the promises are dropped.
      void client.unsubscribe('trigger');
      void client.punsubscribe('trigger');
      const settled = await Promise.allSettled([client.unsubscribe('other')]);
      expect(settled[0].status).toBe('rejected');
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
      client.disconnect();
    }
  });
});
