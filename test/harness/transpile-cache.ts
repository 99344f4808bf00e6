import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Service } from 'ts-node';

/**
 * Preloaded into API child processes after ts-node (`transpileCacheNodeArgs`): keeps ts-node's transpiled output on
 * disk, keyed by the TypeScript version, the compiler options, the file name and its source, so every process after
 * the first of a test run skips transpiling the whole app — 9 → 2 CPU seconds per start on this machine, which is what
 * kept a start under its deadline on a loaded host. An edited file has a new key. Trade-off: a file read from the cache
 * is not in ts-node's source-map table, so a child's stack trace shows the emitted line numbers (the file names stay).
 * Child processes only; jest has its own transform cache.
 */
const ROOT = join(__dirname, '..', '..');
const DIR = join(ROOT, 'node_modules', '.cache', 'kcloud-api-transpile');
// ts-node's REGISTER_INSTANCE, by its registry name: importing ts-node here would load it into jest workers too.
const service = (process as unknown as Record<symbol, Service | undefined>)[
  Symbol.for('ts-node.register.instance')
];
if (service) {
  mkdirSync(DIR, { recursive: true });
  const salt = JSON.stringify([service.ts.version, service.config.options]);
  const compile = service.compile.bind(service);
  service.compile = (code, fileName, lineOffset) => {
    const key = createHash('sha256').update(salt).update(`\0${fileName}\0`).update(code).digest('hex');
    const path = join(DIR, `${key}.js`);
    try {
      return readFileSync(path, 'utf8');
    } catch {
      const output = compile(code, fileName, lineOffset);
      // Write then rename: a concurrent reader never sees half a file.
      const partial = `${path}.${process.pid}.tmp`;
      writeFileSync(partial, output);
      renameSync(partial, path);
      return output;
    }
  };
}

/** Node flags for `startApiProcess(env, { nodeArgs })`: ts-node first, then this cache around it. */
export const transpileCacheNodeArgs: readonly string[] = [
  '-r',
  'ts-node/register/transpile-only',
  '-r',
  join(__dirname, 'transpile-cache.ts'),
];

/**
 * Fills the cache once before the e2e suites (jest globalSetup) by loading the API's modules under it, so that no
 * suite's first pair of API processes transpiles the app twice at once — on a loaded host that alone outlasted the
 * start deadline. Only when the cache is empty (a clean clone): a filled one misses just the files edited since, which
 * a child transpiles for itself, as it does if this fails.
 */
export async function warmTranspileCache(): Promise<void> {
  if (existsSync(DIR) && readdirSync(DIR).length) return;
  await promisify(execFile)(
    process.execPath,
    [...transpileCacheNodeArgs, '-r', 'tsconfig-paths/register', '-e', `require('./apps/api/src/bootstrap')`],
    { cwd: ROOT, timeout: 300_000 },
  ).catch(() => undefined);
}
