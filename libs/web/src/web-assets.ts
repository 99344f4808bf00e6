import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The files `npm run build` writes for the fleet page (apps/web/build.mjs); nothing else under its folder is served. */
export const WEB_ASSETS = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'styles.css': 'text/css; charset=utf-8',
} as const;

export type WebAsset = keyof typeof WEB_ASSETS;

/**
 * The folder of the built page: `dist/web`. Compiled, this file is `dist/libs/web/src/web-assets.js` (three levels
 * below `dist`); run from source (ts-node, jest) it is `libs/web/src/web-assets.ts` (three below the repository).
 */
export function webRoot(): string | undefined {
  const candidates = [resolve(__dirname, '../../../web'), resolve(__dirname, '../../../dist/web')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}
