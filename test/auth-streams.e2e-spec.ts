import type { GraphQLSchema } from 'graphql';
import type { WorkloadPattern } from '@kcloud/fleet-model';
import { categoryOfSite, HEADERS, WHO } from './harness/auth-fixture';
import { foreignTokensIn } from './harness/leaks';
import { pollUntil } from './harness/poll';
import { acceptedValues, concretePaths, getRoute, restRoutes } from './harness/rest-routes';
import { fetchSchema, operationFor, rootFields } from './harness/schema-probe';
import type { Stack } from './harness/stack';
import { SocketPool, type Subscription } from './harness/ws-client';
import { useAuthStack } from './harness/use-stack';

/** Query parameters whose accepted values a route announces in its 400 message; each value is tried. */
const VARIANT_PARAMS = ['format', 'groupBy'] as const;
// Public routes that serve no tenant data: probes (and the seeds' aliases), /metrics and its seed alias (their own
// token), the GraphiQL and OpenAPI pages and their assets.
const OPEN = /^\/(health|api\/healthz|api\/v1\/system\/(health|version|metrics)|metrics|graphiql|docs)/;
/** Node-wide data (it adds up every tenant on a node): refused to namespace-scoped keys, as IPMI sensors are. */
const NODE_WIDE = /^\/api\/v1\/export\/node-power/;

/**
 * Subscriptions (every Subscription root field in the schema at run time) and every REST route (exports in every
 * dataset and format, the SSE stream) for the three keys, through a real Prometheus scraping the fleet simulator.
 */
describe('tenant scope in subscriptions, exports and SSE (real Prometheus + fleet-sim)', () => {
  let schema: GraphQLSchema;
  const sockets = new SocketPool();
  // A short analysis window and interval so a workload switch shows up in scores within seconds.
  const auth = useAuthStack({ ANALYZER_INTERVAL_SECONDS: '1', ANALYZER_WINDOW_SECONDS: '5' }, [], {
    closeFirst: () => sockets.disposeAll(),
  });
  const { stack } = auth;
  beforeAll(async () => {
    schema = await fetchSchema(stack.url, HEADERS.admin);
  });

  it('filters every subscription per subscriber: the partner receives its own events and none of others', async () => {
    const fields = rootFields(schema, 'subscription');
    expect(fields.length).toBeGreaterThan(0);
    const subs: Record<'admin' | 'partner', Map<string, Subscription>> = {
      admin: new Map(),
      partner: new Map(),
    };
    for (const who of ['admin', 'partner'] as const) {
      const ws = sockets.connect(stack.url, HEADERS[who]);
      await ws.connected;
      for (const field of fields) {
        const op = operationFor('subscription', field, {
          // A live tile's size (gpuMetricsUpdated takes at most 500 GPUs; 1,000 whole Gpu selections exceed the
          // complexity limit): what is tested here is the scope of each event, not the page size.
          rootPageSize: 100,
          values: (site) => {
            const cat = categoryOfSite(site);
            return cat && String(site.type).endsWith('!') ? auth.scopes.visibleValue(who, cat) : undefined;
          },
        });
        subs[who].set(field.name, ws.subscribe(op.document, op.variables));
      }
    }
    // Switch workloads inside and outside the partner's namespace so score and power events concern both.
    switchWorkloads(stack, auth.scopes.partnerNamespace);
    await pollUntil(
      'an event on every subscription for both keys',
      async () =>
        fields.every(
          (f) => subs.admin.get(f.name)!.events.length > 0 && subs.partner.get(f.name)!.events.length > 0,
        )
          ? true
          : undefined,
      { timeoutMs: 60_000, intervalMs: 500 },
    ).catch((e: Error) => {
      const counts = fields.map(
        (f) =>
          `${f.name}: admin ${subs.admin.get(f.name)!.events.length}, partner ${subs.partner.get(f.name)!.events.length}`,
      );
      throw new Error(`${e.message} (${counts.join('; ')})`);
    });
    const problems: string[] = [];
    for (const field of fields) {
      const partnerEvents = subs.partner.get(field.name)!.events;
      const leaks = foreignTokensIn(partnerEvents, auth.scopes.foreignTokens.partner);
      if (leaks.length) problems.push(`${field.name}: partner received ${leaks.slice(0, 5).join(', ')}`);
      const errors = partnerEvents.flatMap((e) => e.errors ?? []);
      if (errors.length) problems.push(`${field.name}: ${JSON.stringify(errors).slice(0, 200)}`);
    }
    expect(problems).toEqual([]);
    // The admin's events do name other namespaces: the partner's silence about them is filtering, not chance.
    const adminEvents = fields.flatMap((f) => subs.admin.get(f.name)!.events);
    expect(foreignTokensIn(adminEvents, auth.scopes.foreignTokens.partner).length).toBeGreaterThan(0);
  });

  it('serves every REST route to each key within its scope: every export dataset and format, the SSE stream', async () => {
    const routes = restRoutes(stack.app).filter((r) => r.method === 'GET' && !OPEN.test(r.path));
    expect(routes.length).toBeGreaterThan(0);
    const problems: string[] = [];
    let sse = 0;
    for (const route of routes) {
      const paths = await concretePaths(stack.url, route.path, HEADERS.admin);
      for (const path of paths) {
        for (const query of ['', ...(await variants(path))]) {
          for (const who of WHO) {
            const res = await getRoute(`${stack.url}${path}${query}`, HEADERS[who], { sseEvents: 1 });
            // A combination the route itself refuses (the report has no CSV form) is not a path to data.
            if (who === 'admin' && refusesVariant(res.status, res.body, query)) break;
            const what = `${who} GET ${path}${query}`;
            // Live streams are subscribing by another name: viewers read, they do not subscribe.
            if (who === 'viewer' && res.status === 403 && /"code":"FORBIDDEN"/.test(res.body)) continue;
            if (
              who === 'partner' &&
              NODE_WIDE.test(path) &&
              res.status === 403 &&
              /"code":"FORBIDDEN"/.test(res.body)
            )
              continue;
            if (res.contentType.startsWith('text/event-stream')) {
              sse++;
              if (!res.events.length) problems.push(`${what}: no event within the read window`);
            }
            if (res.status !== 200) problems.push(`${what}: HTTP ${res.status} ${res.body.slice(0, 160)}`);
            if (who === 'admin') continue;
            const leaks = foreignTokensIn(res.body, auth.scopes.foreignTokens[who]);
            if (leaks.length) problems.push(`${what} leaks ${leaks.slice(0, 5).join(', ')}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(sse).toBeGreaterThan(0);
  });

  async function variants(path: string): Promise<string[]> {
    const out: string[] = [];
    for (const param of VARIANT_PARAMS) {
      const accepted = await acceptedValues(`${stack.url}${path}?${param}=zz-probe`, HEADERS.admin);
      out.push(...accepted.map((v) => `?${param}=${encodeURIComponent(v)}`));
    }
    return out;
  }
});

function refusesVariant(status: number, body: string, query: string): boolean {
  if (status !== 400 || !query) return false;
  const param = query.slice(1).split('=')[0];
  return (JSON.parse(body) as { argument?: string }).argument === param;
}

/** Busy GPUs go idle and idle ones busy, in and outside `namespace`, keeping their pods. */
function switchWorkloads(stack: Stack, namespace: string): void {
  const allocated = stack.model.gpus().filter((g) => g.namespace && !g.migInstanceId);
  const picks = [
    allocated.filter((g) => g.namespace === namespace),
    allocated.filter((g) => g.namespace !== namespace),
  ].flatMap((gs) => gs.slice(0, 2));
  for (const g of picks) {
    const next: WorkloadPattern = g.pattern === 'notebook' ? 'training' : 'notebook';
    stack.model.setPattern(g.uuid, undefined, next);
  }
}
