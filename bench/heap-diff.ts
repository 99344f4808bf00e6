import { readFileSync } from 'node:fs';

/**
 * `node -r ts-node/register/transpile-only bench/heap-diff.ts before.heapsnapshot after.heapsnapshot [top]`: what grew
 * between two heap snapshots (e.g. the soak's minute-10 and end snapshots), by constructor — count and shallow size —
 * largest growth first. Shallow, not retained, size: enough to name what accumulates; DevTools' comparison view gives
 * the retainers.
 */
interface Group {
  count: number;
  bytes: number;
}

export function groupByConstructor(path: string): Map<string, Group> {
  const snap = JSON.parse(readFileSync(path, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [type, name, size] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const groups = new Map<string, Group>();
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const t = types[snap.nodes[i + type]];
    const key =
      t === 'object' || t === 'closure' || t === 'array'
        ? `${t === 'object' ? '' : `(${t}) `}${snap.strings[snap.nodes[i + name]]}`
        : `(${t})`;
    const g = groups.get(key) ?? { count: 0, bytes: 0 };
    g.count++;
    g.bytes += snap.nodes[i + size];
    groups.set(key, g);
  }
  return groups;
}

if (require.main === module) {
  const [before, after, top = '25'] = process.argv.slice(2);
  const a = groupByConstructor(before);
  const b = groupByConstructor(after);
  const total = (m: Map<string, Group>) => [...m.values()].reduce((s, g) => s + g.bytes, 0);
  const rows = [...new Set([...a.keys(), ...b.keys()])]
    .map((k) => {
      const x = a.get(k) ?? { count: 0, bytes: 0 };
      const y = b.get(k) ?? { count: 0, bytes: 0 };
      return {
        k,
        count: y.count - x.count,
        kib: (y.bytes - x.bytes) / 1024,
        countAfter: y.count,
        kibAfter: y.bytes / 1024,
      };
    })
    .sort((p, q) => q.kib - p.kib)
    .slice(0, Number(top));
  process.stdout.write(
    `total shallow MiB: ${(total(a) / 1048576).toFixed(1)} -> ${(total(b) / 1048576).toFixed(1)}\n`,
  );
  process.stdout.write(
    '| constructor | Δ count | Δ KiB | count after | KiB after |\n|---|---:|---:|---:|---:|\n',
  );
  for (const r of rows)
    process.stdout.write(
      `| ${r.k.slice(0, 60)} | ${r.count} | ${r.kib.toFixed(0)} | ${r.countAfter} | ${r.kibAfter.toFixed(0)} |\n`,
    );
}
