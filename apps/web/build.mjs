// Builds the fleet page into dist/web (or the folder given as the first argument): one bundled script (the page's
// TypeScript and the graphql-ws client), the HTML and the stylesheet. Run by `npm run build` (build:web).
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] ?? join(here, '../../dist/web'));
await mkdir(out, { recursive: true });
await build({
  entryPoints: [join(here, 'src/main.ts')],
  outfile: join(out, 'app.js'),
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2022'],
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
await copyFile(join(here, 'src/index.html'), join(out, 'index.html'));
await copyFile(join(here, 'src/styles.css'), join(out, 'styles.css'));
