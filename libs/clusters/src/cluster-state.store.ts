import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AppConfig, badInput, type ClusterConfig, notFound } from '@kcloud/common';
import { type ClusterInfo, ClusterRegistry } from '@kcloud/prometheus';
import { SharedState } from '@kcloud/realtime';

export const CLUSTERS_DOC = 'registered-clusters';
/** Secrets of registered clusters are referenced by the name of an environment variable with this prefix. */
export const CLUSTER_SECRET_ENV = /^CLUSTER_SECRET_[A-Z0-9_]{1,64}$/;
const REREAD_EVERY_MS = 5_000;
const MAX_CAS_ATTEMPTS = 5;

/** Credentials as stored: never the secret, only the variable that holds it on every replica. */
export interface StoredClusterAuth {
  readonly type: 'basic' | 'bearer';
  readonly username?: string;
  readonly passwordEnv?: string;
  readonly tokenEnv?: string;
}
export type StoredCluster = Omit<ClusterConfig, 'auth'> & { readonly auth?: StoredClusterAuth };

/** Run-time changes to the cluster list: clusters registered, and PROMETHEUS_CLUSTERS entries removed. */
interface StoredClusters {
  readonly registered: readonly StoredCluster[];
  readonly removed: readonly string[];
  readonly changedBy: string;
}
const EMPTY: StoredClusters = { registered: [], removed: [], changedBy: '' };

/** A registration: the cluster's fields; auth either literal (memory state only) or by variable name. */
export type ClusterRegistration = Omit<ClusterConfig, 'auth'> & {
  readonly auth?: StoredClusterAuth & { readonly password?: string; readonly token?: string };
};

/**
 * `registerCluster` / `removeCluster` made shared and durable: the changes are one versioned document in SharedState
 * (Redis, else STATE_DIR), written with compare-and-set, applied to this replica's ClusterRegistry at once and to the
 * others on the change notification (plus a re-read every few seconds), and again at every start. Each change is
 * logged with who made it and the versions.
 *
 * Credentials: with a shared or persisted store, secrets are never written there. A registration names the variable
 * (`passwordEnv` / `tokenEnv`, `CLUSTER_SECRET_*`) that holds the secret in every replica's environment (a Kubernetes
 * Secret); a literal password or token is refused. Without REDIS_URL and STATE_DIR nothing is persisted and a literal
 * secret stays in this process' memory, as before.
 */
@Injectable()
export class ClusterStateStore implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ClusterStateStore.name);
  /** Registered clusters applied to the registry here, name → stored JSON (to spot a changed definition). */
  private readonly applied = new Map<string, string>();
  private version = 0;
  private timer?: NodeJS.Timeout;
  private syncing = Promise.resolve();

  constructor(
    private readonly app: AppConfig,
    private readonly registry: ClusterRegistry,
    private readonly shared: SharedState,
  ) {}

  private get active(): boolean {
    return this.app.dataSource === 'prometheus';
  }

  async onModuleInit(): Promise<void> {
    if (!this.active) return;
    this.shared.onChange(CLUSTERS_DOC, (version) => {
      if (version > this.version) void this.refresh();
    });
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), REREAD_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Applies the stored list if it is newer than the one applied here; never throws. */
  refresh(): Promise<void> {
    this.syncing = this.syncing.then(async () => {
      try {
        if ((await this.shared.readVersion(CLUSTERS_DOC)) <= this.version) return;
        const doc = await this.shared.read<StoredClusters>(CLUSTERS_DOC);
        if (doc && doc.version > this.version) await this.reconcile(doc.value, doc.version);
      } catch (e) {
        this.logger.warn(
          `stored cluster list unavailable (${(e as Error).message}); keeping version ${this.version}`,
        );
      }
    });
    return this.syncing;
  }

  async register(input: ClusterRegistration, actor: string): Promise<ClusterInfo> {
    const stored = this.storable(input);
    return this.write(actor, `registered cluster '${input.name}'`, async (doc) => {
      const info = await this.registry.add(this.resolve(input));
      this.applied.set(input.name, JSON.stringify(stored));
      return {
        next: {
          registered: [...doc.registered.filter((c) => c.name !== input.name), stored],
          removed: doc.removed.filter((n) => n !== input.name),
        },
        result: info,
        undo: () => this.forget(input.name),
      };
    });
  }

  async remove(name: string, actor: string): Promise<void> {
    await this.write(actor, `removed cluster '${name}'`, async (doc) => {
      if (!this.registry.has(name)) throw notFound('cluster', name);
      const registered = doc.registered.some((c) => c.name === name);
      return {
        next: {
          registered: doc.registered.filter((c) => c.name !== name),
          removed: registered ? doc.removed : [...doc.removed, name],
        },
        result: undefined,
        undo: () => undefined,
        after: () => this.forget(name),
      };
    });
  }

  /** Compare-and-set loop: re-reads and re-applies the change when another replica wrote first. */
  private async write<T>(
    actor: string,
    what: string,
    change: (doc: StoredClusters) => Promise<{
      next: Omit<StoredClusters, 'changedBy'>;
      result: T;
      undo: () => void;
      after?: () => void;
    }>,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      await this.refresh();
      await this.syncing;
      const doc = (await this.shared.read<StoredClusters>(CLUSTERS_DOC)) ?? { version: 0, value: EMPTY };
      const { next, result, undo, after } = await change(doc.value);
      const cas = await this.shared
        .compareAndSet<StoredClusters>(CLUSTERS_DOC, doc.version, { ...next, changedBy: actor })
        .catch((e: unknown) => {
          undo();
          throw e;
        });
      if (cas.ok) {
        after?.();
        this.version = cas.version;
        this.logger.log(
          `cluster list changed by '${actor}', version ${doc.version} → ${cas.version}: ${what}`,
        );
        return result;
      }
      undo();
      if (attempt >= MAX_CAS_ATTEMPTS)
        throw new Error(`cluster list: ${MAX_CAS_ATTEMPTS} concurrent writers in a row; retry`);
    }
  }

  private async reconcile(doc: StoredClusters, version: number): Promise<void> {
    const wanted = new Map(doc.registered.map((c) => [c.name, JSON.stringify(c)]));
    for (const [name, json] of [...this.applied]) if (wanted.get(name) !== json) this.forget(name);
    for (const name of doc.removed)
      if (this.registry.has(name) && !wanted.has(name)) this.registry.remove(name);
    for (const c of doc.registered) {
      if (this.applied.has(c.name)) continue;
      try {
        if (this.registry.has(c.name)) this.registry.remove(c.name);
        await this.registry.add(this.resolve(c));
        this.applied.set(c.name, wanted.get(c.name)!);
      } catch (e) {
        this.logger.error(`stored cluster '${c.name}' not applied on this replica: ${(e as Error).message}`);
      }
    }
    this.version = version;
  }

  private forget(name: string): void {
    this.applied.delete(name);
    if (this.registry.has(name)) this.registry.remove(name);
  }

  /** What is stored: literal secrets only when nothing is persisted (memory). */
  private storable(input: ClusterRegistration): StoredCluster {
    const auth = input.auth;
    if (!auth) return input as StoredCluster;
    for (const ref of [auth.passwordEnv, auth.tokenEnv])
      if (ref !== undefined && !CLUSTER_SECRET_ENV.test(ref))
        throw badInput('auth', `${ref} is not a CLUSTER_SECRET_* variable name`);
    const literal = auth.password !== undefined || auth.token !== undefined;
    if (literal && this.shared.kind !== 'memory')
      throw badInput(
        'auth',
        'credentials are not written to the shared state: put the secret in a CLUSTER_SECRET_* variable on every replica and pass passwordEnv or tokenEnv',
      );
    if (literal) return input as StoredCluster;
    return {
      ...input,
      auth: {
        type: auth.type,
        username: auth.username,
        passwordEnv: auth.passwordEnv,
        tokenEnv: auth.tokenEnv,
      },
    };
  }

  /** The registry's config: secrets read from the variables the stored entry names. */
  private resolve(c: ClusterRegistration): ClusterConfig {
    const auth = c.auth;
    if (!auth) return c as ClusterConfig;
    const fromEnv = (name: string | undefined): string | undefined => {
      if (name === undefined) return undefined;
      const value = process.env[name];
      if (value === undefined) throw badInput('auth', `${name} is not set on this replica`);
      return value;
    };
    return {
      ...c,
      auth: {
        type: auth.type,
        username: auth.username,
        password: auth.password ?? fromEnv(auth.passwordEnv),
        token: auth.token ?? fromEnv(auth.tokenEnv),
      },
    } as ClusterConfig;
  }
}
