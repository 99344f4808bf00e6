import type { INestApplication } from '@nestjs/common';
import { loadConfig } from '@kcloud/common';
import { createApp } from '../../apps/api/src/bootstrap';

export interface RunningApp {
  readonly app: INestApplication;
  /** http://127.0.0.1:<port> */
  readonly url: string;
}

/**
 * The API on a free port, configured by `env` alone (PORT 0 added). Without a Prometheus in `env` it serves the
 * simulated fleet, as `npm start` does (outside production; production needs DATA_SOURCE=simulated for that).
 * `host` '0.0.0.0' also accepts callers from this machine's other addresses (open-mode tests); the url stays loopback.
 */
export async function startApp(
  env: Readonly<Record<string, string>>,
  { host = '127.0.0.1' }: { host?: string } = {},
): Promise<RunningApp> {
  // Quiet by default: one JSON access line per request would bury the test output; a suite may ask for more.
  const app = await createApp(loadConfig({ PORT: '0', LOG_LEVEL: 'warn', ...env }));
  await app.listen(0, host);
  const port = new URL((await app.getUrl()).replace('[::1]', '127.0.0.1')).port;
  return { app, url: `http://127.0.0.1:${port}` };
}
