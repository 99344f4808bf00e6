import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The package version, read once; the build keeps package.json beside dist so this works in the image too. */
export const APP_VERSION: string = (() => {
  for (const dir of [
    process.cwd(),
    join(__dirname, '..', '..', '..'),
    join(__dirname, '..', '..', '..', '..'),
  ]) {
    try {
      return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      // try the next candidate
    }
  }
  return '0.0.0';
})();
