import type { INestApplication } from '@nestjs/common';
import { loadConfig } from '@kcloud/common';
import { createApp } from '../../apps/api/src/bootstrap';

export interface RunningApp {
  readonly app: INestApplication;
  /** http://127.0.0.1:<port> */
  readonly url: string;
}

/**
 * The API on a free loopback port, configured by `env` alone (PORT 0 added). Without a Prometheus in `env` it serves
 * the simulated fleet, as `npm start` does.
 */
export async function startApp(env: Readonly<Record<string, string>>): Promise<RunningApp> {
  const app = await createApp(loadConfig({ PORT: '0', ...env }));
  await app.listen(0, '127.0.0.1');
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}
