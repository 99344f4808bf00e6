import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Before the e2e suites: build the fleet page (apps/web → dist/web, esbuild, well under a second) from the current
 * source, so `/` and its assets answer in every suite that walks the route table, with or without `npm run build`.
 */
export default async function globalSetup(): Promise<void> {
  await promisify(execFile)(process.execPath, ['apps/web/build.mjs'], {
    cwd: join(__dirname, '..'),
    timeout: 60_000,
  });
}
