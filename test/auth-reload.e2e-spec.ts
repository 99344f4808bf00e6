import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { apiKeysEnv } from './harness/api-keys';
import { startApp } from './harness/app';
import { pollUntil } from './harness/poll';
import { connectWs } from './harness/ws-client';

const FIRST = 'kc_first_partner_31a9';
const SECOND = 'kc_second_partner_77c0';

/** Replaces the file the way a Kubernetes Secret volume does: a new file renamed over the old one. */
function writeKeys(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

const keyFile = (...keys: { name: string; secret: string; namespaces?: string[] }[]) =>
  apiKeysEnv(keys.map((k) => ({ ...k, role: 'partner' })));

describe('API keys reloaded from API_KEYS_FILE without a restart', () => {
  let app: INestApplication;
  let url: string;
  let file: string;

  beforeAll(async () => {
    file = join(mkdtempSync(join(tmpdir(), 'kcloud-keys-')), 'keys.json');
    writeKeys(file, keyFile({ name: 'first', secret: FIRST, namespaces: ['ml-training'] }));
    ({ app, url } = await startApp({
      LOG_LEVEL: 'error',
      ANALYZER_ENABLED: 'false',
      API_KEYS_FILE: file,
      API_KEYS_RELOAD_SECONDS: '1',
    }));
  });
  afterAll(async () => app?.close());

  const status = async (secret: string) =>
    (
      await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
        body: JSON.stringify({ query: '{ system { version } }' }),
      })
    ).status;

  it('applies a rotated file: the revoked key is refused, its open subscriptions closed 4401, the new key admitted', async () => {
    expect([await status(FIRST), await status(SECOND)]).toEqual([200, 401]);
    const socket = connectWs(url, { authorization: `Bearer ${FIRST}` });
    await socket.connected;
    socket.subscribe('subscription { analysisCompleted { durationSeconds } }');

    writeKeys(file, keyFile({ name: 'second', secret: SECOND }));
    await pollUntil(
      'the new key to be admitted',
      async () => ((await status(SECOND)) === 200 ? true : undefined),
      {
        timeoutMs: 10_000,
        intervalMs: 200,
      },
    );
    expect(await status(FIRST)).toBe(401);
    expect(await socket.closed).toEqual({ code: 4401, reason: 'API key revoked' });
  });

  it('keeps the current keys when the file becomes invalid, and ends the streams of a key whose scope changed', async () => {
    writeKeys(file, '[{"name": "second", "sha256": "not-a-hash", "role": "partner"}');
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await status(SECOND)).toBe(200);

    const socket = connectWs(url, { authorization: `Bearer ${SECOND}` });
    await socket.connected;
    const sse = await fetch(`${url}/api/v1/monitoring/stream/power?intervalSeconds=1`, {
      headers: { authorization: `Bearer ${SECOND}` },
    });
    expect(sse.status).toBe(200);
    const reader = sse.body!.getReader();
    const received = new TextDecoder().decode((await reader.read()).value);
    expect(received).toMatch(/event: power/);

    writeKeys(file, keyFile({ name: 'second', secret: SECOND, namespaces: ['research'] }));
    expect(await socket.closed).toEqual({ code: 4401, reason: 'API key changed; reconnect' });
    // The SSE response ends too (the next read reports done), instead of streaming under the old scope.
    let ended = false;
    for (let i = 0; i < 20 && !ended; i++) ended = (await reader.read()).done;
    expect(ended).toBe(true);
    expect(await status(SECOND)).toBe(200);
  });
});
