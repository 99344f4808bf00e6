import { plainToInstance } from 'class-transformer';
import type { Request } from 'express';
import { EnvSchema } from '@kcloud/common';
import { RequestAdmission } from '../admission.service';
import { sha256Hex } from '../api-key';
import { buildAuthSettings } from '../auth-settings';
import { Authenticator } from '../authenticator';
import { MemoryThrottlerStorage } from '../memory-throttler.storage';
import { RateLimiter } from '../rate-limiter.service';
import { GraphqlAccess } from './graphql-access.service';
import type { WsAccess } from './ws-access.service';

const KEYS = JSON.stringify([
  {
    name: 'team-a',
    sha256: sha256Hex('partner-key'),
    role: 'partner',
    namespaces: ['team-a'],
    rateLimitPerMinute: 10,
  },
]);

/** Stored answers (the response cache's hits before Apollo) are admitted and charged as executions are. */
function make() {
  const settings = buildAuthSettings(
    plainToInstance(EnvSchema, { API_KEYS: KEYS }, { exposeDefaultValues: true }),
  );
  const storage = new MemoryThrottlerStorage();
  const admission = new RequestAdmission(new Authenticator(settings), new RateLimiter(storage));
  const access = new GraphqlAccess(admission, {} as WsAccess, settings);
  const request = (key = 'partner-key') =>
    ({
      method: 'POST',
      headers: { 'x-api-key': key },
      body: { query: '{ system { version } }' },
    }) as unknown as Request;
  const remaining = async () => (await new RateLimiter(storage).hit('team-a', 10, 0)).remaining;
  return { access, request, remaining };
}

describe('GraphqlAccess for stored answers', () => {
  it('identifies the caller without charging, and only known credentials', async () => {
    const { access, request, remaining } = make();
    expect(access.identify(request())).toMatchObject({
      name: 'team-a',
      role: 'partner',
      scope: { namespaces: ['team-a'] },
    });
    expect(access.identify(request('wrong'))).toBeUndefined();
    expect(await remaining()).toBe(10);
  });

  it('charges admission’s unit plus the operation’s upstream units beyond it', async () => {
    const { access, request, remaining } = make();
    const req = request();
    expect(await access.admitStored(req, access.identify(req)!, 4)).toBe(true);
    expect(await remaining()).toBe(6);
    expect(await access.admitStored(request(), access.identify(req)!, 1)).toBe(true);
    expect(await remaining()).toBe(5);
    expect((req as { principal?: unknown }).principal).toMatchObject({ name: 'team-a' });
  });

  it('over budget: refuses, and the context factory answers that 429 without charging again', async () => {
    const { access, request, remaining } = make();
    expect(await access.admitStored(request(), access.identify(request())!, 8)).toBe(true);
    const req = request();
    expect(await access.admitStored(req, access.identify(req)!, 5)).toBe(false);
    const left = await remaining();
    const context = access.context({ req, res: {} });
    await expect(context).rejects.toMatchObject({
      extensions: { code: 'RATE_LIMITED', http: { status: 429 } },
    });
    expect(await remaining()).toBe(left);
  });
});
