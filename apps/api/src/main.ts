import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { type AppConfig, ConfigError, loadConfig, redactSecrets } from '@kcloud/common';
import { GracefulShutdown } from '@kcloud/realtime';
import { createApp } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.server.port);
  drainOnSignals(app, config);
  Logger.log(`kcloud-monitor listening on http://localhost:${config.server.port}/graphql`, 'Bootstrap');
}

/**
 * SIGTERM/SIGINT: readiness false at once, graphql-ws and SSE streams end, in-flight HTTP requests (exports) get
 * SHUTDOWN_GRACE_SECONDS; then the app closes (leader lock released, Redis clients closed) and the process exits 0.
 * The server keeps accepting during the grace: the endpoints controller needs a moment to stop routing to it.
 */
function drainOnSignals(app: INestApplication, config: AppConfig): void {
  const shutdown = app.get(GracefulShutdown);
  shutdown.trackHttp(app.getHttpServer());
  const graceMs = config.env.SHUTDOWN_GRACE_SECONDS * 1000;
  const stop = async (signal: string): Promise<void> => {
    Logger.log(`${signal}: draining for up to ${graceMs / 1000} s`, 'Shutdown');
    shutdown.begin();
    const server = app.getHttpServer() as Server;
    // Past the grace, what is still open is cut: app.close() would otherwise wait for it.
    if (!(await shutdown.drained(graceMs))) server.closeAllConnections();
    await app.close();
    Logger.log('closed', 'Shutdown');
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      stop(signal).catch((e: unknown) => {
        process.stderr.write(
          `shutdown failed: ${redactSecrets(e instanceof Error ? e.message : String(e))}\n`,
        );
        process.exit(1);
      });
    });
  }
}

// A boot failure can quote a cluster URL or an upstream answer; the line lands in logs and crash reports.
main().catch((error: unknown) => {
  process.stderr.write(
    error instanceof ConfigError
      ? `${error.message}\n`
      : `Fatal: ${redactSecrets(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`,
  );
  process.exit(1);
});
