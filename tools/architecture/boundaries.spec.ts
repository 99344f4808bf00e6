import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { config, graph } from './boundaries';

const ROOT = join(__dirname, '..', '..');
const RULE = 'architecture/library-dependencies';

/** Lints one in-memory file as if it stood at `filePath`, with the rule block eslint.config.mjs uses. */
async function lint(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: ROOT,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, config],
  });
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('architecture/library-dependencies', () => {
  it.each([
    [
      'a library depending on a library outside its edges',
      'libs/hardware/src/planted.ts',
      "import { AnalyzerService } from '@kcloud/analyzer';",
      'libs/hardware may not depend on analyzer (allowed: common, cache, metrics-source)',
    ],
    [
      'a library importing an app by relative path',
      'libs/metrics-source/src/planted.ts',
      "import { startFleetSim } from '../../../apps/fleet-sim/src/server';",
      'libs/metrics-source imports apps/fleet-sim: a library or app never imports an app',
    ],
    [
      'a library importing an app through an alias',
      'libs/metrics-source/src/planted.ts',
      "import { FleetModel } from '@kcloud/fleet-sim';",
      "'@kcloud/fleet-sim' is not a library",
    ],
    [
      'a spec reaching into another library by relative path',
      'libs/accelerators/src/planted.spec.ts',
      "import { FakePrometheus } from '../../prometheus/src/testing/fake-prometheus';",
      "reaches into libs/prometheus by a relative path; import it as '@kcloud/prometheus/testing'",
    ],
    [
      "a library importing another's internals through the alias",
      'libs/infrastructure/src/planted.ts',
      "export { toGpu } from '@kcloud/accelerators/gpu-view';",
      "'@kcloud/accelerators/gpu-view' is not an entry of libs/accelerators",
    ],
    [
      'a source file importing a test-only entry',
      'libs/monitoring/src/planted.ts',
      "const fake = import('@kcloud/prometheus/testing');",
      "'@kcloud/prometheus/testing' is for specs only",
    ],
    [
      'an app other than the composition root importing a library off its edges',
      'apps/fleet-sim/src/planted.ts',
      "import { CacheService } from '@kcloud/cache';",
      'apps/fleet-sim may not depend on cache (allowed: fleet-model)',
    ],
    [
      'a library folder missing from the data',
      'libs/newthing/src/planted.ts',
      "import { badInput } from '@kcloud/common';",
      'libs/newthing is not in tools/architecture/dependencies.json',
    ],
  ])('fails on %s', async (_what, filePath, code, expected) => {
    const messages = await lint(filePath, code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(`${RULE}: `);
    expect(messages[0]).toContain(expected);
  });

  it.each([
    ['an allowed edge', 'libs/infrastructure/src/ok.ts', "import { Gpu } from '@kcloud/accelerators';"],
    [
      'a test-only entry in a spec along an edge',
      'libs/metrics-source/src/ok.spec.ts',
      "import { json } from '@kcloud/prometheus/testing';",
    ],
    [
      'a relative import inside the library',
      'libs/hardware/src/dto/ok.ts',
      "import { HardwareService } from '../hardware.service';",
    ],
    [
      'a spec testing its own library through the entry',
      'libs/fleet-model/src/ok.spec.ts',
      "import { FleetModel } from '@kcloud/fleet-model';",
    ],
    [
      'the composition root using any library',
      'apps/api/src/ok.ts',
      "import { ExportModule } from '@kcloud/export';",
    ],
    [
      'an e2e suite (test/ is outside the graph)',
      'test/ok.e2e-spec.ts',
      "import { server } from '../apps/fleet-sim/src/server';",
    ],
    ['a package', 'libs/common/src/ok.ts', "import { GraphQLError } from 'graphql';"],
  ])('passes %s', async (_what, filePath, code) => {
    expect(await lint(filePath, code)).toEqual([]);
  });

  it('is on, as an error, for sources and specs in the repository configuration', async () => {
    // eslint.config.mjs is ESM, which jest's CommonJS runtime cannot import; a child node process can.
    const script = `
      import { ESLint } from 'eslint';
      const eslint = new ESLint();
      const files = ['libs/hardware/src/hardware.service.ts', 'libs/hardware/src/hardware.service.spec.ts', 'apps/api/src/main.ts'];
      const levels = await Promise.all(files.map(async (f) => (await eslint.calculateConfigForFile(f)).rules['${RULE}']));
      console.log(JSON.stringify(levels));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
    });
    expect(JSON.parse(stdout)).toEqual([[2], [2], [2]]);
  });
});

describe('tools/architecture/dependencies.json', () => {
  const libraries = Object.keys(graph.libraries);
  const folders = (dir: string) =>
    readdirSync(join(ROOT, dir), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();

  it('lists every library and app folder, and nothing else', () => {
    expect([...libraries].sort()).toEqual(folders('libs'));
    expect(Object.keys(graph.apps).sort()).toEqual(folders('apps'));
  });

  it('names only libraries as dependencies, each edge with its reason', () => {
    for (const [name, lib] of Object.entries(graph.libraries)) {
      for (const [dep, why] of Object.entries(lib.dependsOn)) {
        expect([name, dep, libraries.includes(dep) && dep !== name]).toEqual([name, dep, true]);
        expect(why).not.toBe('');
      }
    }
  });

  it('has no cycle', () => {
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (name: string, trail: readonly string[]): void => {
      if (state.get(name) === 'done') return;
      if (state.get(name) === 'visiting') throw new Error(`cycle: ${[...trail, name].join(' → ')}`);
      state.set(name, 'visiting');
      for (const dep of Object.keys(graph.libraries[name]!.dependsOn)) visit(dep, [...trail, name]);
      state.set(name, 'done');
    };
    for (const name of libraries) visit(name, []);
  });

  it('matches the path aliases: one per library and declared entry, none into apps/', () => {
    const paths = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')).compilerOptions
      .paths as Record<string, string[]>;
    const expected = Object.fromEntries(
      Object.entries(graph.libraries).flatMap(([name, lib]) => [
        [`@kcloud/${name}`, [`libs/${name}/src`]],
        ...Object.keys(lib.entries ?? {}).map((e) => [`@kcloud/${name}/${e}`, [`libs/${name}/src/${e}`]]),
      ]),
    );
    expect(paths).toEqual(expected);
  });
});
