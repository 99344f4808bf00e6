import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where SharedState keeps its documents; `text` is the JSON of the value. */
export interface StateBackend {
  readonly kind: 'redis' | 'file' | 'memory';
  start(): Promise<void>;
  readVersion(name: string): Promise<number>;
  read(name: string): Promise<{ version: number; text: string } | undefined>;
  compareAndSet(
    name: string,
    expected: number,
    text: string,
  ): Promise<{ readonly ok: boolean; readonly version: number }>;
  /**
   * Writes `text` as `version` only while the stored version is lower (the store lost the document, e.g. Redis
   * restarted without persistence); announces it like a write. False when the store already holds that version or a
   * newer one.
   */
  restore(name: string, version: number, text: string): Promise<boolean>;
  onChange(listener: (name: string, version: number) => void): void;
  close(): void;
}

/** One process: documents in a Map, changes announced in-process. */
export class MemoryStateBackend implements StateBackend {
  readonly kind: StateBackend['kind'] = 'memory';
  protected readonly docs = new Map<string, { version: number; text: string }>();
  private readonly listeners = new Set<(name: string, version: number) => void>();
  // Compare-and-set must be atomic within the process: writes of one backend run one after the other.
  private queue: Promise<unknown> = Promise.resolve();

  async start(): Promise<void> {}

  async readVersion(name: string): Promise<number> {
    return (await this.read(name))?.version ?? 0;
  }

  async read(name: string): Promise<{ version: number; text: string } | undefined> {
    return this.docs.get(name);
  }

  compareAndSet(name: string, expected: number, text: string): Promise<{ ok: boolean; version: number }> {
    const next = this.queue.then(async () => {
      const version = await this.readVersion(name);
      if (version !== expected) return { ok: false, version };
      await this.persist(name, { version: version + 1, text });
      for (const l of this.listeners) l(name, version + 1);
      return { ok: true, version: version + 1 };
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  restore(name: string, version: number, text: string): Promise<boolean> {
    const next = this.queue.then(async () => {
      if ((await this.readVersion(name)) >= version) return false;
      await this.persist(name, { version, text });
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

  protected async persist(name: string, doc: { version: number; text: string }): Promise<void> {
    this.docs.set(name, doc);
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

  override async read(name: string): Promise<{ version: number; text: string } | undefined> {
    const cached = this.docs.get(name);
    if (cached) return cached;
    try {
      const { version, value } = JSON.parse(await readFile(this.file(name), 'utf8')) as {
        version: number;
        value: unknown;
      };
      const doc = { version, text: JSON.stringify(value) };
      this.docs.set(name, doc);
      return doc;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  protected override async persist(name: string, doc: { version: number; text: string }): Promise<void> {
    const tmp = `${this.file(name)}.${process.pid}.tmp`;
    await writeFile(tmp, `{"version":${doc.version},"value":${doc.text}}\n`);
    await rename(tmp, this.file(name));
    this.docs.set(name, doc);
  }

  private file(name: string): string {
    return join(this.dir, `${name.replace(/[^a-zA-Z0-9_.-]/g, '_')}.json`);
  }
}
