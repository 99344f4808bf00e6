import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { reviveDates } from './pub-sub.provider';

/**
 * A document's value on its way to a store, as the value itself and (made on first use, once) its JSON text: a store
 * that keeps values in this process never pays for the text, one that sends text (Redis, a file) makes it once
 * however often it is asked (a compare-and-set retried after a restore). Values are plain JSON data (ISO dates come
 * back as Dates) and are never changed once handed over: a store in this process keeps the object it was given.
 */
export class StateValue {
  private constructor(
    private v: unknown,
    private t: string | undefined,
  ) {}

  static of(value: unknown): StateValue {
    return new StateValue(value, undefined);
  }

  static parsed(text: string): StateValue {
    return new StateValue(undefined, text);
  }

  get value(): unknown {
    if (this.v === undefined) this.v = JSON.parse(this.t!, reviveDates);
    return this.v;
  }

  get text(): string {
    if (this.t === undefined) this.t = JSON.stringify(this.v);
    return this.t;
  }
}

/** A stored document as a store answers it: the JSON text (Redis) or the value itself (a store in this process). */
export type StoredDoc =
  | { readonly version: number; readonly text: string }
  | { readonly version: number; readonly value: unknown };

/** Where SharedState keeps its documents. */
export interface StateBackend {
  readonly kind: 'redis' | 'file' | 'memory';
  start(): Promise<void>;
  readVersion(name: string): Promise<number>;
  read(name: string): Promise<StoredDoc | undefined>;
  compareAndSet(
    name: string,
    expected: number,
    doc: StateValue,
  ): Promise<{ readonly ok: boolean; readonly version: number }>;
  /**
   * Writes `doc` as `version` only while the stored version is lower (the store lost the document, e.g. Redis
   * restarted without persistence); announces it like a write. False when the store already holds that version or a
   * newer one.
   */
  restore(name: string, version: number, doc: StateValue): Promise<boolean>;
  onChange(listener: (name: string, version: number) => void): void;
  close(): void;
}

/**
 * One process: documents in a Map, changes announced in-process. It keeps the values it is given, not their JSON
 * text: at 50,000 GPUs the analyzer state's text alone was ~75 MB, made every cycle, beside the same results as
 * objects.
 */
export class MemoryStateBackend implements StateBackend {
  readonly kind: StateBackend['kind'] = 'memory';
  protected readonly docs = new Map<string, { version: number; value: unknown }>();
  private readonly listeners = new Set<(name: string, version: number) => void>();
  // Compare-and-set must be atomic within the process: writes of one backend run one after the other.
  private queue: Promise<unknown> = Promise.resolve();

  async start(): Promise<void> {}

  async readVersion(name: string): Promise<number> {
    return (await this.read(name))?.version ?? 0;
  }

  async read(name: string): Promise<StoredDoc | undefined> {
    return this.docs.get(name);
  }

  compareAndSet(name: string, expected: number, doc: StateValue): Promise<{ ok: boolean; version: number }> {
    const next = this.queue.then(async () => {
      const version = await this.readVersion(name);
      if (version !== expected) return { ok: false, version };
      await this.persist(name, version + 1, doc);
      for (const l of this.listeners) l(name, version + 1);
      return { ok: true, version: version + 1 };
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  restore(name: string, version: number, doc: StateValue): Promise<boolean> {
    const next = this.queue.then(async () => {
      if ((await this.readVersion(name)) >= version) return false;
      await this.persist(name, version, doc);
      for (const l of this.listeners) l(name, version);
      return true;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  onChange(listener: (name: string, version: number) => void): void {
    this.listeners.add(listener);
  }

  close(): void {}

  protected async persist(name: string, version: number, doc: StateValue): Promise<void> {
    this.docs.set(name, { version, value: doc.value });
  }
}

/**
 * One replica with a state directory: `<dir>/<name>.json` holds `{ version, value }`, written to a temporary file and
 * renamed, so a crash mid-write leaves the previous version. Not for several processes sharing the directory (no
 * cross-process lock): that is what REDIS_URL is for.
 */
export class FileStateBackend extends MemoryStateBackend {
  override readonly kind = 'file' as const;

  constructor(private readonly dir: string) {
    super();
  }

  override async start(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  override async read(name: string): Promise<StoredDoc | undefined> {
    const cached = this.docs.get(name);
    if (cached) return cached;
    try {
      const { version, value } = JSON.parse(await readFile(this.file(name), 'utf8'), reviveDates) as {
        version: number;
        value: unknown;
      };
      const doc = { version, value };
      this.docs.set(name, doc);
      return doc;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  protected override async persist(name: string, version: number, doc: StateValue): Promise<void> {
    const tmp = `${this.file(name)}.${process.pid}.tmp`;
    await writeFile(tmp, `{"version":${version},"value":${doc.text}}\n`);
    await rename(tmp, this.file(name));
    this.docs.set(name, { version, value: doc.value });
  }

  private file(name: string): string {
    return join(this.dir, `${name.replace(/[^a-zA-Z0-9_.-]/g, '_')}.json`);
  }
}
