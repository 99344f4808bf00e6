import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { graph } from './boundaries';
import { GRAPH_END, GRAPH_START, renderGraph, replaceGraph } from './render-graph';

const ROOT = join(__dirname, '..', '..');

describe('ARCHITECTURE.md', () => {
  const doc = readFileSync(join(ROOT, 'ARCHITECTURE.md'), 'utf8');

  it('draws the dependency graph the lint rule enforces (run `npm run architecture` after changing the data)', () => {
    const block = doc.slice(doc.indexOf(GRAPH_START), doc.indexOf(GRAPH_END) + GRAPH_END.length);
    expect(block).toBe(renderGraph(graph));
  });

  it('names every library in its prose, not only in the generated table', () => {
    const prose = replaceGraph(doc, '');
    const missing = Object.keys(graph.libraries).filter((name) => !prose.includes(`libs/${name}`));
    expect(missing).toEqual([]);
  });
});

describe('renderGraph', () => {
  const tiny = {
    libraries: {
      common: { owns: 'basics', dependsOn: {} },
      model: { owns: 'a model', dependsOn: {} },
      data: {
        owns: 'reads',
        dependsOn: { common: 'errors', model: 'samples' },
        entries: { testing: 'fakes' },
      },
    },
    apps: {
      api: { owns: 'root', dependsOn: '*' as const },
      sim: { owns: 'http', dependsOn: { model: 'renders' } },
    },
  };

  it('draws an arrow per edge except to the foundation library, and lists every edge with its reason', () => {
    const text = renderGraph(tiny);
    expect(text).toContain('  data --> model');
    expect(text).not.toContain('data --> common');
    expect(text).toContain('  app_sim["apps/sim"] --> model');
    expect(text).toContain(
      '| `data` | reads<br>entry `@kcloud/data/testing`: fakes | `common` (errors); `model` (samples) |',
    );
    expect(text).toContain('every other library but `model` imports it');
    expect(text).toContain('| `apps/api` | root | every library |');
  });

  it('replaces only the marked block', () => {
    const doc = `before\n${GRAPH_START}\nold\n${GRAPH_END}\nafter\n`;
    expect(replaceGraph(doc, 'NEW')).toBe('before\nNEW\nafter\n');
    expect(() => replaceGraph('no markers', 'NEW')).toThrow(/markers/);
  });
});
