import type { IncomingMessage } from 'node:http';
import { getNamedType, type GraphQLSchema, isInputObjectType } from 'graphql';
import { categoryOfSite, HEADERS, SECRETS, tenancies, type Who, WHO } from './harness/auth-fixture';
import { gql } from './harness/graphql-client';
import { distinct, foreignTokensIn } from './harness/leaks';
import { inspectPromQL } from './harness/promql-inspect';
import { type AttributedRequest, attributePrometheusRequests } from './harness/request-attribution';
import { concretePaths, getRoute, restRoutes } from './harness/rest-routes';
import { type ArgSite, argSites, fetchSchema, operationFor, rootFields } from './harness/schema-probe';
import { codesOf, SERVER_FAILURE_CODES, totalCounts } from './harness/scope-checks';
import { pollUntil } from './harness/poll';
import { forEachConcurrently } from './harness/pool';
import type { Stack } from './harness/stack';
import { SocketPool, type Subscription } from './harness/ws-client';
import { useAuthStack } from './harness/use-stack';

/** Marks a hostile value so its bytes can be found in the PromQL the API sends: they must only ever sit in literals. */
const MARK = 'zqx';

const HOSTILE: readonly [string, string][] = [
  ['quote-close injection', `${MARK}"} or vector(1) #`],
  ['brace close', `${MARK}} or up{`],
  ['extra matcher', `${MARK}",namespace=~".+`],
  ['lone backslash', `${MARK}\\`],
  ['escaped quote', `${MARK}\\"`],
  ['newline', `${MARK}\nup`],
  ['carriage return and tab', `${MARK}\r\t`],
  ['regex wildcard', '.*'],
  ['regex alternation', 'ml-training|inference|research'],
  ['every RE2 metacharacter', `${MARK}\\.+*?()|[]{}^$`],
  ['10 kB', `${MARK}${'x"\\\n'.repeat(2560)}`],
  ['unicode', `${MARK} ünïcödé 日本語 🚀`],
  ['NUL byte', `${MARK}\u0000`],
  ['empty', ''],
];

/** REST query parameters that reach PromQL or validation; every registered non-probe GET route gets each. */
/** A generous bound on one answer: far above any healthy answer here, far below the upstream and query timeouts. */
const PROBE_BOUND_MS = 15_000;
/**
 * Probes in flight at once: the suite's thousands of independent requests overlap their round trips (and the SSE
 * routes' listening window) instead of waiting on each in turn; each answer is still timed and checked on its own.
 */
const PROBE_CONCURRENCY = 3;
/** Thousands of probes per test: room for a loaded 2-core host, where one run took over the default 120 s. */
const PROBES_TIMEOUT_MS = 300_000;

const REST_PARAMS = [
  'cluster',
  'namespace',
  'node',
  'pod',
  'from',
  'to',
  'step',
  'period',
  'format',
  'groupBy',
  'intervalSeconds',
];
// Public routes that serve no tenant data: probes (and the seeds' aliases), /metrics and its seed alias (their own
// token), the GraphiQL and OpenAPI pages and their assets.
const OPEN = /^\/(health|api\/healthz|api\/v1\/system\/(health|version|metrics)|metrics|graphiql|docs)/;

/**
 * Every string argument of every query root field (input-object fields included) and every REST parameter gets
 * quotes, braces, backslashes, newlines, regex metacharacters, 10 kB and unicode. Each answer is clean data or a 4xx /
 * coded GraphQL error; a hostile filter matches nothing; and every query that reached Prometheus parsed, succeeded,
 * and carried the hostile bytes only inside string literals.
 */
describe('hostile input on every filter argument and export parameter (real Prometheus + fleet-sim)', () => {
  let schema: GraphQLSchema;
  let tenantNames: string[];
  let sent: { readonly requests: AttributedRequest<Who>[]; stop(): void };
  const sockets = new SocketPool();
  const auth = useAuthStack(
    {
      GRAPHQL_MAX_COMPLEXITY: '10000000',
      MAX_SUBSCRIPTIONS_PER_KEY: '1000',
      ANALYZER_INTERVAL_SECONDS: '1',
      ANALYZER_WINDOW_SECONDS: '5',
    },
    [],
    {
      closeFirst: async () => {
        sent?.stop();
        await sockets.disposeAll();
      },
    },
  );
  const { stack } = auth;

  beforeAll(async () => {
    schema = await fetchSchema(stack.url, HEADERS.admin);
    tenantNames = distinct(tenancies(stack.model).flatMap((r) => [r.pod, r.uuid]));
    sent = attributePrometheusRequests(stack.app, (req: IncomingMessage) =>
      WHO.find((w) => `${req.headers.authorization} ${req.headers['x-api-key']}`.includes(SECRETS[w])),
    );
  });

  it(
    'answers every string argument of every query root field cleanly and in bounded time, for every role',
    async () => {
      const problems: string[] = [];
      let probes = 0;
      let slowestMs = 0;
      const cases = rootFields(schema, 'query').flatMap((field) =>
        argSites(field)
          .filter(isStringSite)
          .flatMap((site) =>
            HOSTILE.flatMap(([name, value]) => WHO.map((who) => ({ field, site, name, value, who }))),
          ),
      );
      await forEachConcurrently(cases, PROBE_CONCURRENCY, async ({ field, site, name, value, who }) => {
        const key = (s: ArgSite) => s.path.join('.');
        const op = operationFor('query', field, {
          values: (s) => {
            if (key(s) === key(site)) return String(s.type).startsWith('[') ? [value] : value;
            if (key(s) === site.path[0]) return undefined;
            const cat = categoryOfSite(s);
            return cat && String(s.type).endsWith('!') ? auth.scopes.visibleValue(who, cat) : undefined;
          },
        });
        const started = Date.now();
        const res = await gql<Record<string, unknown>>(stack.url, op.document, op.variables, HEADERS[who]);
        slowestMs = Math.max(slowestMs, Date.now() - started);
        probes++;
        const what = `${who} ${field.name}(${site.path.join('.')}) ${name}`;
        const codes = codesOf(res);
        if (res.status >= 500 || codes.some((c) => SERVER_FAILURE_CODES.has(c) || c === 'NO_CODE'))
          problems.push(
            `${what}: HTTP ${res.status} ${codes.join(',')} ${res.errors?.[0]?.message.slice(0, 120) ?? ''}`,
          );
        if (!isFilter(site)) return;
        // A hostile filter value is a literal that names nothing: it must not match (or widen to) anything.
        const nonEmpty = [...totalCounts(res.data)].filter(([, n]) => n > 0);
        if (nonEmpty.length)
          problems.push(`${what} matched ${nonEmpty.map(([p, n]) => `${p}=${n}`).join(', ')}`);
        const named = foreignTokensIn(res.data, tenantNames);
        if (named.length) problems.push(`${what} returned ${named.slice(0, 3).join(', ')}`);
      });
      expect(problems).toEqual([]);
      expect(probes).toBeGreaterThan(HOSTILE.length);
      // Not a performance figure: a hostile value must never make one answer wait for a timeout or a runaway scan.
      expect(slowestMs).toBeLessThan(PROBE_BOUND_MS);
    },
    PROBES_TIMEOUT_MS,
  );

  it(
    'answers every REST parameter of every route cleanly and in bounded time, for the scoped keys: data or a 4xx naming the problem',
    async () => {
      const routes = restRoutes(stack.app).filter((r) => r.method === 'GET' && !OPEN.test(r.path));
      const problems: string[] = [];
      const cases: { path: string; param: string; name: string; value: string; who: 'partner' | 'viewer' }[] =
        [];
      for (const route of routes) {
        // The two scoped keys take turns: each hostile value reaches every route as one of them.
        for (const path of await concretePaths(stack.url, route.path, HEADERS.admin))
          for (const param of REST_PARAMS)
            for (const [i, [name, value]] of HOSTILE.entries())
              cases.push({ path, param, name, value, who: i % 2 ? 'viewer' : 'partner' });
      }
      await forEachConcurrently(cases, PROBE_CONCURRENCY, async ({ path, param, name, value, who }) => {
        const started = Date.now();
        const res = await getRoute(
          `${stack.url}${path}?${param}=${encodeURIComponent(value)}`,
          HEADERS[who],
          {
            sseWindowMs: 1500,
            sseEvents: 1,
          },
        );
        if (Date.now() - started > PROBE_BOUND_MS)
          problems.push(`GET ${path}?${param}= ${name} as ${who}: took ${Date.now() - started} ms`);
        const what = `GET ${path}?${param}= ${name} as ${who}`;
        if (res.status >= 500) problems.push(`${what}: HTTP ${res.status} ${res.body.slice(0, 120)}`);
        else if (res.status >= 400 && res.status !== 431 && !/"code":"[A-Z_]+"/.test(res.body))
          problems.push(`${what}: ${res.status} without a code`);
        else if (res.status === 200) {
          // An empty parameter is an absent one (the whole scope); any other hostile name matches nothing.
          const filters = value !== '' && ['cluster', 'namespace', 'node', 'pod'].includes(param);
          const named = foreignTokensIn(res.body, filters ? tenantNames : auth.scopes.foreignTokens[who]);
          if (named.length) problems.push(`${what} returned ${named.slice(0, 3).join(', ')}`);
        }
      });
      expect(problems).toEqual([]);
    },
    PROBES_TIMEOUT_MS,
  );

  it('answers every string argument of every subscription cleanly: a coded error or events naming nothing', async () => {
    const fields = rootFields(schema, 'subscription');
    const [control, hostile] = [
      sockets.connect(stack.url, HEADERS.admin),
      sockets.connect(stack.url, HEADERS.partner),
    ];
    await Promise.all([control.connected, hostile.connected]);
    const controls = fields.map((f) => control.subscribe(operationFor('subscription', f).document));
    const probes: { what: string; sub: Subscription; filters: boolean }[] = [];
    for (const field of fields)
      for (const site of argSites(field).filter(isStringSite))
        for (const [name, value] of HOSTILE) {
          const key = (s: ArgSite) => s.path.join('.');
          const op = operationFor('subscription', field, {
            values: (s) =>
              key(s) === key(site) ? (String(s.type).startsWith('[') ? [value] : value) : undefined,
          });
          probes.push({
            what: `${field.name}(${site.path.join('.')}) ${name}`,
            sub: hostile.subscribe(op.document, op.variables),
            filters: value !== '' && isFilter(site),
          });
        }
    expect(probes.length).toBeGreaterThan(0);
    switchSomeWorkloads(stack);
    // Once every unfiltered control subscription has spoken, the hostile ones have had the same events to (not) match.
    await pollUntil(
      'an event on every control subscription',
      async () => (controls.every((c) => c.events.length > 0) ? true : undefined),
      {
        timeoutMs: 60_000,
        intervalMs: 500,
      },
    );
    const problems: string[] = [];
    for (const { what, sub, filters } of probes) {
      const errors = sub.events.flatMap((e) => e.errors ?? []);
      if (errors.some((e) => !e.extensions?.code || SERVER_FAILURE_CODES.has(String(e.extensions.code))))
        problems.push(`${what}: ${JSON.stringify(errors).slice(0, 160)}`);
      const named = foreignTokensIn(sub.events, filters ? tenantNames : auth.scopes.foreignTokens.partner);
      if (named.length) problems.push(`${what} delivered ${named.slice(0, 3).join(', ')}`);
    }
    expect(problems).toEqual([]);
    expect(await Promise.race([hostile.closed, Promise.resolve('open')])).toBe('open');
  });

  it('never let a hostile value reach Prometheus outside a string literal, and Prometheus never refused a query', () => {
    const queries = sent.requests.filter((r) => r.by && r.event.query);
    expect(queries.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const { event } of queries) {
      const parsed = inspectPromQL(event.query!);
      if (parsed.errors.length)
        problems.push(`does not parse (${parsed.errors[0]}): ${event.query!.slice(0, 200)}`);
      if (parsed.code.includes(MARK))
        problems.push(`hostile bytes outside a literal: ${event.query!.slice(0, 200)}`);
      if (event.outcome !== 'ok') problems.push(`Prometheus refused: ${event.query!.slice(0, 200)}`);
    }
    expect(problems).toEqual([]);
  });
});

/** Busy GPUs go idle and idle ones busy (tenants kept), so score-change subscriptions have events to filter. */
function switchSomeWorkloads(stack: Stack): void {
  for (const g of stack.model
    .gpus()
    .filter((x) => x.namespace && !x.migInstanceId)
    .slice(0, 4))
    stack.model.setPattern(g.uuid, undefined, g.pattern === 'notebook' ? 'training' : 'notebook');
}

/** String and ID arguments (and lists of them), where free text enters. */
function isStringSite(site: ArgSite): boolean {
  const named = getNamedType(site.type);
  return !isInputObjectType(named) && (named.name === 'String' || named.name === 'ID');
}

/** An argument that selects data by name: a known category, or a field of a *Filter* input. */
function isFilter(site: ArgSite): boolean {
  return categoryOfSite(site) !== undefined || (site.path.length > 1 && /filter/i.test(site.path[0]!));
}
