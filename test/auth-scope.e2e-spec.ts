import type { IncomingMessage } from 'node:http';
import { getNamedType, type GraphQLField, type GraphQLSchema } from 'graphql';
import { categoryOfSite, HEADERS, SECRETS, tenancies, type Who, WHO } from './harness/auth-fixture';
import { gql } from './harness/graphql-client';
import { foreignTokensIn } from './harness/leaks';
import { inspectPromQL } from './harness/promql-inspect';
import { type AttributedRequest, attributePrometheusRequests } from './harness/request-attribution';
import {
  type ArgSite,
  argSites,
  fetchSchema,
  operationFor,
  type ProbeOptions,
  rootFields,
} from './harness/schema-probe';
import {
  codesOf,
  normalized,
  SERVER_FAILURE_CODES,
  totalCounts,
  totalsMismatches,
} from './harness/scope-checks';
import { useAuthStack } from './harness/use-stack';

/**
 * Every GraphQL query root field the API serves at run time, asked by three keys (admin, a partner scoped to one
 * namespace, a viewer scoped to one cluster) through a real Prometheus scraping the fleet simulator. Scoped keys must
 * see nothing outside their scope, totals must count only what they list, a foreign filter value must answer exactly
 * like a value that does not exist, and the partner's PromQL must carry its namespace matcher.
 */
describe('tenant scope across every GraphQL query root field (real Prometheus + fleet-sim)', () => {
  let schema: GraphQLSchema;
  let sent: { readonly requests: AttributedRequest<Who>[]; stop(): void };
  const auth = useAuthStack({ GRAPHQL_MAX_COMPLEXITY: '10000000' }, [], { closeFirst: () => sent?.stop() });
  const { stack } = auth;

  beforeAll(async () => {
    schema = await fetchSchema(stack.url, HEADERS.admin);
    sent = attributePrometheusRequests(stack.app, whoSent);
  });

  /** Required arguments get an existing value the asking key may see (a GPU, or an NPU for NPU fields). */
  const probe = (who: Who, field: GraphQLField<unknown, unknown>): ProbeOptions => ({
    // deviceHistory pages at most 200 devices (each edge carries a whole series); the fleet has fewer.
    ...(field.name === 'deviceHistory' ? { rootPageSize: 200 } : {}),
    values: (site) => {
      const cat = categoryOfSite(site);
      const kind = /npu/i.test(getNamedType(field.type).name) ? 'npu' : 'gpu';
      const value = cat && requiredSite(site) ? auth.scopes.visibleValue(who, cat, kind) : undefined;
      return value === undefined ? undefined : asType(site, value);
    },
  });

  const ask = (who: Who, document: string, variables: Record<string, unknown>) =>
    gql<Record<string, unknown>>(stack.url, document, variables, HEADERS[who]);

  it('answers every query root field for every key, scoped keys seeing nothing outside their scope', async () => {
    const fields = rootFields(schema, 'query');
    const problems: string[] = [];
    const exercised: string[] = [];
    for (const field of fields) {
      for (const who of WHO) {
        const op = operationFor('query', field, probe(who, field));
        const res = await ask(who, op.document, op.variables);
        // A documented "not available" answers the question; a scope-level refusal tells a scoped key nothing.
        const codes = codesOf(res).filter(
          (c) => c !== 'NOT_SUPPORTED' && !(who !== 'admin' && c === 'FORBIDDEN'),
        );
        if (res.status >= 500 || codes.length)
          problems.push(
            `${who} ${field.name}: HTTP ${res.status} ${codes.join(',')} ${res.errors?.[0]?.message ?? ''}`,
          );
        if (who !== 'admin') {
          const leaks = foreignTokensIn(
            res,
            auth.scopes.foreignTokens[who],
            Object.values(op.variables).map(String),
          );
          if (leaks.length) problems.push(`${who} ${field.name} leaks ${leaks.slice(0, 5).join(', ')}`);
        }
        for (const m of totalsMismatches(res.data)) problems.push(`${who} ${field.name} ${m}`);
        const answered = res.data?.[field.name] !== undefined || codesOf(res).includes('NOT_SUPPORTED');
        if (who === 'admin' && answered && !codes.length) exercised.push(field.name);
      }
    }
    expect(problems).toEqual([]);
    expect(exercised.sort()).toEqual(fields.map((f) => f.name).sort());
  });

  it('proves the scan can see a leak: the admin key does see the names foreign to each scoped key', async () => {
    const gpus = rootFields(schema, 'query').find((f) => f.name === 'gpus')!;
    const op = operationFor('query', gpus, probe('admin', gpus));
    const res = await ask('admin', op.document, op.variables);
    expect(foreignTokensIn(res, auth.scopes.foreignTokens.partner).length).toBeGreaterThan(0);
    expect(foreignTokensIn(res, auth.scopes.foreignTokens.viewer).length).toBeGreaterThan(0);
  });

  it('counts only the scope in totals and stats: GPU totals equal the ground truth of each scope', async () => {
    const q = '{ gpus(first: 1000) { totalCount edges { node { id namespace cluster } } } }';
    const gpus = stack.model.gpus();
    const expected: Record<Who, number> = {
      admin: gpus.length,
      partner: gpus.filter((g) => g.namespace === auth.scopes.partnerNamespace).length,
      viewer: gpus.filter((g) => g.cluster === auth.scopes.viewerCluster).length,
    };
    for (const who of WHO) {
      const res = await ask(who, q, {});
      expect({ who, total: (res.data!.gpus as { totalCount: number }).totalCount }).toEqual({
        who,
        total: expected[who],
      });
    }
    // Any count a scoped key gets for a whole-fleet total must be the count of its own scope.
    const problems: string[] = [];
    for (const field of rootFields(schema, 'query')) {
      // Only fields whose arguments do not depend on the key compare like with like.
      if (field.args.some((a) => String(a.type).endsWith('!'))) continue;
      const op = operationFor('query', field, probe('admin', field));
      const admin = totalCounts((await ask('admin', op.document, op.variables)).data);
      for (const who of ['partner', 'viewer'] as const) {
        const mine = totalCounts((await ask(who, op.document, op.variables)).data);
        for (const [path, n] of mine) {
          const all = admin.get(path);
          if (all !== undefined && n > all) problems.push(`${who} ${path}: ${n} > admin's ${all}`);
          if (all === expected.admin && n !== expected[who])
            problems.push(`${who} ${path}: ${n}, its scope holds ${expected[who]}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('answers a filter naming something outside the scope exactly like a name that does not exist', async () => {
    const problems: string[] = [];
    let compared = 0;
    for (const field of rootFields(schema, 'query')) {
      for (const site of argSites(field)) {
        const cat = categoryOfSite(site);
        if (!cat) continue;
        for (const who of ['partner', 'viewer'] as const) {
          const foreign = auth.scopes.foreignValue[who][cat];
          if (!foreign) continue;
          const missing = `zz-no-such-${cat}`;
          const [a, b] = await Promise.all([
            askWith(who, field, site, foreign),
            askWith(who, field, site, missing),
          ]);
          compared++;
          if (normalized(a, foreign) !== normalized(b, missing))
            problems.push(
              `${who} ${field.name}(${site.path.join('.')}=${foreign}) differs from a missing ${cat}: ${normalized(a, foreign).slice(0, 300)}`,
            );
          const leaks = foreignTokensIn(a, auth.scopes.foreignTokens[who], [foreign]);
          if (leaks.length)
            problems.push(`${who} ${field.name}(${site.path.join('.')}) leaks ${leaks.join(', ')}`);
          if (codesOf(a).some((c) => SERVER_FAILURE_CODES.has(c)))
            problems.push(`${who} ${field.name}: ${codesOf(a).join(',')}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(compared).toBeGreaterThan(0);
  });

  async function askWith(who: Who, field: GraphQLField<unknown, unknown>, site: ArgSite, value: string) {
    const base = probe(who, field);
    const key = (s: ArgSite) => s.path.join('.');
    // The probed site gets the value; its enclosing input argument is then built from its fields.
    const op = operationFor('query', field, {
      values: (s) =>
        key(s) === key(site) ? asType(s, value) : key(s) === site.path[0] ? undefined : base.values!(s),
    });
    return ask(who, op.document, op.variables);
  }

  it("puts the partner's namespace into every tenant-series selector it sends to Prometheus", async () => {
    const problems: string[] = [];
    let dcgm = 0;
    for (const field of rootFields(schema, 'query')) {
      sent.requests.length = 0;
      const op = operationFor('query', field, probe('partner', field));
      await ask('partner', op.document, op.variables);
      const queries = sent.requests
        .filter((s) => s.by === 'partner' && s.event.query)
        .map((s) => s.event.query!);
      dcgm += queries.filter((q) => q.includes('DCGM_')).length;
      const held = new Set(
        tenancies(stack.model).flatMap((t) =>
          t.namespace === auth.scopes.partnerNamespace && t.uuid ? [t.uuid] : [],
        ),
      );
      problems.push(
        ...unscopedSelectors(queries, auth.scopes.partnerNamespace, held).map((p) => `${field.name}: ${p}`),
      );
    }
    expect(dcgm).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it("sends the viewer's data queries only to its cluster", async () => {
    sent.requests.length = 0;
    for (const field of rootFields(schema, 'query')) {
      const op = operationFor('query', field, probe('viewer', field));
      await ask('viewer', op.document, op.variables);
    }
    const data = sent.requests.filter(
      (s) => s.by === 'viewer' && (s.event.endpoint === 'query' || s.event.endpoint === 'query_range'),
    );
    expect(data.length).toBeGreaterThan(0);
    expect([...new Set(data.map((s) => s.event.cluster))]).toEqual([auth.scopes.viewerCluster]);
  });

  it('refuses every mutation to the partner and the viewer with FORBIDDEN, over HTTP and graphql-ws alike', async () => {
    // A partner's own mutations (within its scope): the probe's GPU is none of its own, so it is not found — the same
    // answer as for a GPU that does not exist, never another tenant's data.
    const PARTNER_OWN = new Set(['acknowledgeRecommendation']);
    const problems: string[] = [];
    for (const field of rootFields(schema, 'mutation')) {
      for (const who of ['partner', 'viewer'] as const) {
        const op = operationFor('mutation', field, probe(who, field));
        const res = await ask(who, op.document, op.variables);
        const expected = who === 'partner' && PARTNER_OWN.has(field.name) ? 'NOT_FOUND' : 'FORBIDDEN';
        if (codesOf(res)[0] !== expected || (res.data && res.data[field.name] != null))
          problems.push(`${who} ${field.name}: ${JSON.stringify(res).slice(0, 200)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('keeps the model ground truth in reach: every tenant in the fleet is known to the suite', () => {
    // Guards the leak scan itself: if the simulator grows a new kind of tenant-bearing device, it is scanned too.
    const rows = tenancies(stack.model);
    expect(
      rows.filter((r) => r.namespace && r.namespace !== auth.scopes.partnerNamespace).length,
    ).toBeGreaterThan(0);
    expect(auth.scopes.foreignTokens.partner.length).toBeGreaterThan(3);
    expect(auth.scopes.foreignTokens.viewer.length).toBeGreaterThan(3);
  });
});

/**
 * Selectors of tenant series (dcgm-exporter, Kepler per-pod, kube-state-metrics pods) that do not restrict
 * the namespace label to `namespace`. Two exceptions: the tenant-label shape probe (`count(...{exported_namespace!=""})`)
 * returns a count, no tenant data; and a dcgm selector narrowed by UUID to GPUs the key's namespace holds (gpuProcesses
 * reads every row of those GPUs to tell a shared GPU from an exclusive one) reaches no other GPU.
 */
function unscopedSelectors(
  queries: readonly string[],
  namespace: string,
  heldUuids: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  for (const query of queries) {
    const parsed = inspectPromQL(query);
    if (parsed.errors.length) problems.push(`unparsable: ${query}`);
    for (const sel of parsed.selectors) {
      // Kepler's container series carry no namespace label at all (METRICS.md §2.1: joined to pods via pod_id), so
      // no selector on them can be narrowed; the containers service filters after that join, and the leak scan
      // above proves nothing foreign comes back.
      if (!/^(kepler_pod|kube_pod)|DCGM_/.test(sel.metric)) continue;
      const ns = sel.matchers.filter((m) => /(^|_)namespace$/.test(m.label));
      const scoped = ns.some((m) => (m.op === '=' || m.op === '=~') && m.value === namespace);
      const shapeProbe =
        query.startsWith('count(') && ns.length > 0 && ns.every((m) => m.op === '!=' && m.value === '');
      const uuid = sel.matchers.find((m) => m.label === 'UUID' && (m.op === '=' || m.op === '=~'));
      const heldGpusOnly =
        !!uuid && uuid.value.split('|').every((u) => heldUuids.has(u.replace(/\\(.)/g, '$1')));
      if (!scoped && !shapeProbe && !heldGpusOnly)
        problems.push(`no namespace="${namespace}" in ${sel.text.slice(0, 120)} of ${query.slice(0, 200)}`);
    }
  }
  return problems;
}

/** Which key an incoming request carries (by its credential header). */
function whoSent(req: IncomingMessage): Who | undefined {
  const given = `${req.headers.authorization ?? ''} ${req.headers['x-api-key'] ?? ''}`;
  return (['admin', 'partner', 'viewer'] as const).find((w) => given.includes(SECRETS[w]));
}

/** A required argument (at the root or a required field of an input object). */
function requiredSite(site: ArgSite): boolean {
  return String(site.type).endsWith('!');
}

/** A list-typed argument takes the value as a one-element list. */
function asType(site: ArgSite, value: string): unknown {
  return String(site.type).startsWith('[') ? [value] : value;
}
