import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainError, ErrorCode, loadConfig } from '@kcloud/common';
import { SharedState } from './shared-state.service';
import { MemoryStateBackend, type StateValue } from './state-backends';

/** One store shared by several replicas, which can lose every document at once (Redis restarted empty). */
class LosableBackend extends MemoryStateBackend {
  lose(): void {
    this.docs.clear();
  }
}

/** A store that no longer answers (Redis down): every call fails as ioredis fails it. */
class DownBackend extends MemoryStateBackend {
  override readVersion(): Promise<number> {
    return Promise.reject(new Error('Connection is closed.'));
  }
  override compareAndSet(): Promise<{ ok: boolean; version: number }> {
    return Promise.reject(new Error('Connection is closed.'));
  }
}

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

describe('SharedState keeps no JSON text it does not need', () => {
  /** A store that, like Redis, takes and answers text; it counts the texts it was sent. */
  class TextBackend extends MemoryStateBackend {
    readonly texts = new Map<string, { version: number; text: string }>();
    sent = 0;
    override async read(name: string) {
      return this.texts.get(name);
    }
    protected override async persist(name: string, version: number, doc: StateValue): Promise<void> {
      this.sent++;
      this.texts.set(name, { version, text: doc.text });
    }
    lose(): void {
      this.texts.clear();
    }
  }

  it('a store in this process keeps the value written: no text is made, a read answers that very object', async () => {
    const state = new SharedState(loadConfig({}));
    const value = { at: new Date(0), records: Array.from({ length: 100 }, (_, i) => ({ key: `GPU-${i}` })) };
    const stringify = jest.spyOn(JSON, 'stringify');
    try {
      expect(await state.compareAndSet('doc', 0, value)).toEqual({ ok: true, version: 1 });
      const doc = await state.read<typeof value>('doc');
      expect(doc!.value).toBe(value);
      expect(stringify).not.toHaveBeenCalled();
    } finally {
      stringify.mockRestore();
    }
  });

  it('a text store is sent the text once per write, and a lost document is restored from the value written', async () => {
    const store = new TextBackend();
    const state = new SharedState(loadConfig({}), store);
    await state.compareAndSet('doc', 0, { n: 1, at: new Date('2026-01-01T00:00:00Z') });
    expect(store.sent).toBe(1);
    store.lose();
    expect(await state.readVersion('doc')).toBe(1);
    expect(store.texts.get('doc')).toEqual({ version: 1, text: '{"n":1,"at":"2026-01-01T00:00:00.000Z"}' });
    expect(await new SharedState(loadConfig({}), store).read('doc')).toEqual({
      version: 1,
      value: { n: 1, at: new Date('2026-01-01T00:00:00Z') },
    });
  });
});

describe('SharedState when the store loses its documents or stops answering', () => {
  const replica = (backend: MemoryStateBackend) => new SharedState(loadConfig({}), backend);

  it('puts back the newest version a replica knows, so versions never go back and writes go on from it', async () => {
    const store = new LosableBackend();
    const [a, b] = [replica(store), replica(store)];
    await a.compareAndSet('doc', 0, { n: 1 });
    await a.compareAndSet('doc', 1, { n: 2 });
    expect(await b.read('doc')).toEqual({ version: 2, value: { n: 2 } });
    store.lose();

    // B only reads: it finds version 0 and restores its copy; A writes on top of it as if nothing happened.
    expect(await b.readVersion('doc')).toBe(2);
    expect(await a.compareAndSet('doc', 2, { n: 3 })).toEqual({ ok: true, version: 3 });
    expect(await replica(store).read('doc')).toEqual({ version: 3, value: { n: 3 } });
  });

  it('a writer whose compare-and-set is refused because the store lost the document restores it and writes once', async () => {
    const store = new LosableBackend();
    const a = replica(store);
    await a.compareAndSet('doc', 0, { n: 1 });
    store.lose();
    expect(await a.compareAndSet('doc', 1, { n: 2 })).toEqual({ ok: true, version: 2 });
    expect(await replica(store).read('doc')).toEqual({ version: 2, value: { n: 2 } });
    // A stale writer is still refused.
    expect(await a.compareAndSet('doc', 1, { n: 9 })).toEqual({ ok: false, version: 2 });
  });

  it('never restores over a newer version another replica wrote', async () => {
    const store = new LosableBackend();
    const [a, b] = [replica(store), replica(store)];
    await a.compareAndSet('doc', 0, { n: 1 });
    expect((await b.read('doc'))?.version).toBe(1);
    await a.compareAndSet('doc', 1, { n: 2 });
    await a.compareAndSet('doc', 2, { n: 3 });
    store.lose();
    await a.readVersion('doc'); // A restores version 3
    expect(await b.read('doc')).toEqual({ version: 3, value: { n: 3 } });
    expect(await b.compareAndSet('doc', 3, { n: 4 })).toEqual({ ok: true, version: 4 });
  });

  it('a replica holding an outdated copy (it heard of newer versions) does not put it back; the one that wrote them does', async () => {
    const store = new LosableBackend();
    const [leader, follower] = [replica(store), replica(store)];
    await leader.compareAndSet('doc', 0, { n: 1 });
    await follower.read('doc');
    await leader.compareAndSet('doc', 1, { n: 2 });
    store.lose();
    expect(await follower.readVersion('doc')).toBe(0);
    expect(await leader.readVersion('doc')).toBe(2);
    expect(await follower.read('doc')).toEqual({ version: 2, value: { n: 2 } });
  });

  it('once another replica writes on the emptied store, an older history is never put back over it', async () => {
    const store = new LosableBackend();
    const [a, b] = [replica(store), replica(store)];
    await a.compareAndSet('doc', 0, { n: 1 });
    await a.compareAndSet('doc', 1, { n: 2 });
    store.lose();
    expect(await b.compareAndSet('doc', 0, { n: 10 })).toEqual({ ok: true, version: 1 });
    expect(await a.read('doc')).toEqual({ version: 1, value: { n: 10 } });
  });

  it('a store that does not answer fails reads and writes with STATE_UNAVAILABLE naming the document', async () => {
    const state = replica(new DownBackend());
    const write = state.compareAndSet('analyzer-config', 3, { n: 1 });
    await expect(write).rejects.toBeInstanceOf(DomainError);
    await expect(write).rejects.toMatchObject({
      code: ErrorCode.STATE_UNAVAILABLE,
      details: { store: 'memory', document: 'analyzer-config' },
    });
    await expect(write).rejects.toThrow(
      /'analyzer-config' was not read or changed \(Connection is closed\.\)/,
    );
    await expect(state.readVersion('analyzer-config')).rejects.toMatchObject({
      code: ErrorCode.STATE_UNAVAILABLE,
    });
  });
});
