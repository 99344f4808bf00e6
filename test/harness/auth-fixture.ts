import { defaultScenario, FleetModel, type Scenario } from '@kcloud/fleet-model';
import { sha256Hex as sha256 } from './api-keys';
import { distinct } from './leaks';
import { type Stack, startStack } from './stack';
import { eastWest } from './stacks';
import { at } from './indexed';

/**
 * The three keys of the access-control suites and what each may see, derived from the simulator's ground truth:
 * an unrestricted admin, a partner scoped to one namespace, a viewer scoped to one cluster.
 */
export type Who = 'admin' | 'partner' | 'viewer';
export const WHO: readonly Who[] = ['admin', 'partner', 'viewer'];

export const SECRETS = {
  admin: 'kc_admin_7f3a9d2e',
  partner: 'kc_partner_4b8c1e6f',
  viewer: 'kc_viewer_9d2a7c3b',
  throttled: 'kc_throttled_1a2b3c4d',
  expired: 'kc_expired_0f0e0d0c',
  seedUser: 'seed-admin',
  seedPassword: 'seed-password-5e6f',
  metrics: 'metrics-token-8h9i',
} as const;

export const THROTTLED_LIMIT_PER_MINUTE = 3;

export const HEADERS: Readonly<Record<Who, Record<string, string>>> = {
  admin: { authorization: `Bearer ${SECRETS.admin}` },
  // The partner uses X-API-Key so both header forms are exercised everywhere.
  partner: { 'x-api-key': SECRETS.partner },
  viewer: { authorization: `Bearer ${SECRETS.viewer}` },
};

/** A value category of an argument or filter field, recognised by name. */
export type Category = 'cluster' | 'node' | 'namespace' | 'pod' | 'uuid';

function categoryOf(name: string): Category | undefined {
  if (/namespace/i.test(name)) return 'namespace';
  if (/^clusters?$|^clusterNames?$/i.test(name)) return 'cluster';
  if (/^nodes?$|^nodeNames?$|^hostnames?$/i.test(name)) return 'node';
  if (/^pods?$|^podNames?$/i.test(name)) return 'pod';
  if (/uuid|^ids?$|^gpuIds?$/i.test(name)) return 'uuid';
  return undefined;
}

/** An argument's category by its name, or for a root field's `name`/`id` argument by the field (`cluster(name:)`). */
export function categoryOfSite(site: {
  readonly root: string;
  readonly name: string;
  readonly path: readonly string[];
}): Category | undefined {
  return (
    categoryOf(site.name) ??
    (site.path.length === 1 && /^(name|id)$/.test(site.name) ? categoryOf(site.root) : undefined)
  );
}

interface Tenancy {
  readonly cluster: string;
  readonly node?: string;
  readonly namespace?: string;
  readonly pod?: string;
  readonly uuid?: string;
}

export type DeviceKind = 'gpu' | 'npu';

export interface Scopes {
  readonly partnerNamespace: string;
  readonly viewerCluster: string;
  /** An existing value of a category this key may see (for arguments that must work), per device kind. */
  visibleValue(who: Who, category: Category, kind?: DeviceKind): string | undefined;
  /** Per scoped key: strings that must never appear in its responses. */
  readonly foreignTokens: Readonly<Record<Exclude<Who, 'admin'>, readonly string[]>>;
  /** Per scoped key: one existing value per category that lies outside its scope. */
  readonly foreignValue: Readonly<Record<Exclude<Who, 'admin'>, Partial<Record<Category, string>>>>;
}

/** Every tenant-bearing entity the model knows (GPUs, pods, NPUs when present). */
export function tenancies(model: FleetModel): Tenancy[] {
  return [
    ...model.gpus(),
    ...model.pods().map((p) => ({ cluster: p.cluster, node: p.node, namespace: p.namespace, pod: p.name })),
    ...devices(model, 'npu'),
  ];
}

function devices(model: FleetModel, kind: DeviceKind): Tenancy[] {
  const m = model as unknown as { npus?: () => Tenancy[] };
  return kind === 'gpu' ? model.gpus().filter((g) => !g.migInstanceId) : (m.npus?.() ?? []);
}

export function scopesOf(model: FleetModel): Scopes {
  const rows = tenancies(model);
  const gpus = model.gpus();
  const viewerCluster = at(model.clusters(), 1, 'cluster for the viewer');
  // A namespace with GPUs on both clusters, so the partner's view spans clusters and overlaps the viewer's.
  const sharedGpu = gpus.find(
    (g) =>
      g.cluster === viewerCluster &&
      g.namespace &&
      gpus.some((o) => o.cluster !== viewerCluster && o.namespace === g.namespace),
  );
  if (!sharedGpu?.namespace) throw new Error('scenario has no namespace spanning both clusters');
  const partnerNamespace = sharedGpu.namespace;
  const sees: Record<Who, (r: Tenancy) => boolean> = {
    admin: () => true,
    partner: (r) => r.namespace === partnerNamespace,
    viewer: (r) => r.cluster === viewerCluster,
  };

  const minus = (tokens: string[], visible: Tenancy[]) => {
    const seen = new Set(visible.flatMap((r) => [r.cluster, r.node, r.namespace, r.pod, r.uuid]));
    return tokens.filter((t) => !seen.has(t));
  };
  const partnerForeign = minus(
    distinct(rows.filter((r) => !sees.partner(r)).flatMap((r) => [r.namespace, r.pod, r.uuid])),
    rows.filter(sees.partner),
  );
  const viewerForeign = minus(
    distinct(rows.filter((r) => !sees.viewer(r)).flatMap((r) => [r.cluster, r.node, r.pod, r.uuid])),
    rows.filter(sees.viewer),
  );

  const foreignGpuForPartner = gpus.find((g) => g.uuid && partnerForeign.includes(g.uuid));
  const foreignGpuForViewer = gpus.find((g) => !sees.viewer(g) && g.pod)!;
  return {
    partnerNamespace,
    viewerCluster,
    visibleValue(who, category, kind = 'gpu') {
      const candidates = devices(model, kind).filter((d) => sees[who](d) && d[category]);
      // Prefer what every key may see, so the three keys ask the same question where the fleet allows it.
      const best =
        candidates.find((d) => WHO.every((w) => sees[w](d))) ??
        candidates.find((d) => d.namespace) ??
        candidates[0];
      return best?.[category];
    },
    foreignTokens: { partner: partnerForeign, viewer: viewerForeign },
    foreignValue: {
      partner: {
        namespace: gpus.find((g) => g.namespace && g.namespace !== partnerNamespace)!.namespace,
        pod: foreignGpuForPartner?.pod,
        uuid: foreignGpuForPartner?.uuid,
      },
      viewer: {
        cluster: foreignGpuForViewer.cluster,
        node: foreignGpuForViewer.node,
        pod: foreignGpuForViewer.pod,
        uuid: foreignGpuForViewer.uuid,
      },
    },
  };
}

/** API_KEYS for the suites (hashes only, as in production). */
function apiKeys(scopes: Scopes, extra: readonly Record<string, unknown>[] = []): string {
  return JSON.stringify([
    { name: 'ops-admin', sha256: sha256(SECRETS.admin), role: 'admin' },
    {
      name: 'partner-a',
      sha256: sha256(SECRETS.partner),
      role: 'partner',
      namespaces: [scopes.partnerNamespace],
    },
    { name: 'viewer-west', sha256: sha256(SECRETS.viewer), role: 'viewer', clusters: [scopes.viewerCluster] },
    {
      name: 'throttled',
      sha256: sha256(SECRETS.throttled),
      role: 'partner',
      namespaces: [scopes.partnerNamespace],
      rateLimitPerMinute: THROTTLED_LIMIT_PER_MINUTE,
    },
    ...extra,
  ]);
}

export { sha256 as sha256Hex };

/** Values stay constant for the suite's duration (hour-long ticks), so totals compare exactly with the model. */
function authScenario(): Scenario {
  return { ...defaultScenario(), tickSeconds: 3600 };
}

/** The real stack (fleet-sim → two Prometheus, two scrape shapes → API) with keys and a metrics token. */
export async function startAuthStack(
  env: Record<string, string> = {},
  extraKeys: readonly Record<string, unknown>[] = [],
): Promise<{ stack: Stack; scopes: Scopes }> {
  const scenario = authScenario();
  const scopes = scopesOf(new FleetModel(scenario));
  const [east, west] = eastWest(scenario);
  const stack = await startStack(
    scenario,
    [
      { name: east, shape: 'plain', hostnameLabel: 'Hostname' },
      { name: west, shape: 'exported', hostnameLabel: 'hostname' },
    ],
    {
      API_KEYS: apiKeys(scopes, extraKeys),
      API_AUTH_USERNAME: SECRETS.seedUser,
      API_AUTH_PASSWORD: SECRETS.seedPassword,
      METRICS_TOKEN: SECRETS.metrics,
      CACHE_TTL_REALTIME_SECONDS: '0',
      RATE_LIMIT_PER_MINUTE: '100000',
      // The suites probe refusals with wrong credentials on purpose; security-keys tests the throttle itself.
      AUTH_FAILURES_PER_MINUTE: '100000',
      ...env,
    },
  );
  return { stack, scopes };
}
