import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig, redactSecrets } from '@kcloud/common';
import { createApp } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.server.port);
  Logger.log(`kcloud-monitor listening on http://localhost:${config.server.port}/graphql`, 'Bootstrap');
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
