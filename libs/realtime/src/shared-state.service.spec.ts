import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@kcloud/common';
import { SharedState } from './shared-state.service';

describe('SharedState without Redis', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'shared-state-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it.each([
    ['memory', false],
    ['file', true],
  ])('%s: versions increase, a stale writer is refused, Dates come back as Dates', async (kind, onDisk) => {
    const state = new SharedState(loadConfig(onDisk ? { STATE_DIR: dir } : {}));
    await state.onModuleInit();
    expect(state.kind).toBe(kind);
    const seen: number[] = [];
    state.onChange('doc', (v) => seen.push(v));
    expect(await state.readVersion('doc')).toBe(0);
    expect(await state.compareAndSet('doc', 0, { at: new Date(0), n: 1 })).toEqual({ ok: true, version: 1 });
    expect(await state.compareAndSet('doc', 0, { n: 2 })).toEqual({ ok: false, version: 1 });
    // Two writers racing from the same version: exactly one wins.
    const race = await Promise.all([
      state.compareAndSet('doc', 1, { n: 3 }),
      state.compareAndSet('doc', 1, { n: 4 }),
    ]);
    expect(race.filter((r) => r.ok)).toHaveLength(1);
    const doc = await state.read<{ n: number }>('doc');
    expect(doc!.version).toBe(2);
    expect(seen).toEqual([1, 2]);
    const first = await new SharedState(loadConfig({ STATE_DIR: dir })).read<{ at: Date }>('doc');
    if (kind === 'file') expect(JSON.parse(await readFile(join(dir, 'doc.json'), 'utf8')).version).toBe(2);
    else expect(first).toBeUndefined();
  });

  it('a restarted file store reads what was written, with its version', async () => {
    const before = new SharedState(loadConfig({ STATE_DIR: dir }));
    await before.onModuleInit();
    await before.compareAndSet('doc', 0, { at: new Date('2026-01-01T00:00:00Z') });
    const after = new SharedState(loadConfig({ STATE_DIR: dir }));
    const doc = await after.read<{ at: Date }>('doc');
    expect(doc).toEqual({ version: 1, value: { at: new Date('2026-01-01T00:00:00Z') } });
  });
});
