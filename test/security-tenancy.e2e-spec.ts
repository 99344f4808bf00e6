import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultScenario } from '@kcloud/fleet-model';
import { startApp } from './harness/app';
import { apiKeyEntry, apiKeysEnv } from './harness/api-keys';
import { HEADERS, type Scopes, SECRETS, startAuthStack, type Who } from './harness/auth-fixture';
import { readCsv, totalsByTimestamp } from './harness/export-readers';
import { gql } from './harness/graphql-client';
import { foreignTokensIn } from './harness/leaks';
import { pollUntil } from './harness/poll';
import { startPrometheus, waitForSeries } from './harness/prometheus';
import { inspectPromQL } from './harness/promql-inspect';
import { type AttributedRequest, attributePrometheusRequests } from './harness/request-attribution';
import { connectWs } from './harness/ws-client';
import { prometheusOf, type Stack } from './harness/stack';
import { atLeast } from './harness/indexed';
import { eastWest } from './harness/stacks';

/**
 * Tenant leaks and upstream bounds of issue 10, through the real HTTP / graphql-ws path of a production build: real
 * Prometheus scraping the fleet simulator, real keys (an admin, a partner scoped to one namespace, a viewer scoped to
 * one cluster). What each key may read is judged against the simulator's ground truth and the PromQL the API sends.
 */
/** A partner (it may stream) scoped to the viewer's cluster: the stream suites need a cluster it may not name. */
const STREAMER = { authorization: 'Bearer kc_streamer_west_5d6e7f80' };
const VIEWER_CLUSTER = eastWest(defaultScenario())[1];

describe('security: tenant leaks, upstream bounds and registered clusters (production, real Prometheus)', () => {
  let sent: { readonly requests: AttributedRequest<string>[]; stop(): void };
  let east: string;
  let west: string;
  let stack: Stack;
  let scopes: Scopes;

  beforeAll(async () => {
    ({ stack, scopes } = await startAuthStack(
      {
        NODE_ENV: 'production',
        // Run-time clusters may use this name although it is loopback; 127.0.0.1 itself stays refused.
        ALLOWED_CLUSTER_HOSTS: 'localhost',
      },
      [
        apiKeyEntry({
          name: 'streamer-west',
          secret: STREAMER.authorization.slice(7),
          role: 'partner',
          clusters: [VIEWER_CLUSTER],
        }),
      ],
    ));
    expect(scopes.viewerCluster).toBe(VIEWER_CLUSTER);
    [east, west] = atLeast(stack.model.clusters(), 2, 'clusters');
    // Each request names itself in a header, so the Prometheus requests it caused can be told apart.
    sent = attributePrometheusRequests(
      stack.app,
      (req: IncomingMessage) => req.headers['x-test-label'] as string | undefined,
    );
  });

  afterAll(async () => {
    sent?.stop();
    await stack?.close();
  });

  const causedBy = (label: string) => sent.requests.filter((r) => r.by === label).map((r) => r.event);
  const download = (who: Who, path: string, label: string) =>
    fetch(`${stack.url}${path}`, { headers: { ...HEADERS[who], 'x-test-label': label } });
  const ask = <T>(who: Who, query: string, variables: Record<string, unknown> = {}) =>
    gql<T>(stack.url, query, variables, HEADERS[who]);

  describe('power export', () => {
    it("reads nothing of other tenants from Prometheus for a viewer's 7-day, 1-second export of a namespace that does not exist", async () => {
      const res = await download(
        'viewer',
        '/api/v1/export/power?format=csv&period=7d&step=1&namespace=does-not-exist',
        'hostile-export',
      );
      expect(res.status).toBe(200);
      expect(readCsv(Buffer.from(await res.arrayBuffer()))).toEqual([]);
      // The reads of board power (the plan's current-GPU list is a separate, cluster-scoped read of the viewer's own cluster).
      const events = causedBy('hostile-export').filter((e) =>
        inspectPromQL(e.query ?? '').selectors.some((sel) => sel.metric === 'DCGM_FI_DEV_POWER_USAGE'),
      );
      expect(events.length).toBeGreaterThan(0);
      // Every read of board power names the requested namespace, in whichever label the cluster's shape uses.
      const unscoped = events.filter(
        (e) =>
          !inspectPromQL(e.query!).selectors.some((sel) =>
            sel.matchers.some((m) => /(^|_)namespace$/.test(m.label) && m.value === 'does-not-exist'),
          ),
      );
      expect(unscoped.map((e) => e.query)).toEqual([]);
      expect(new Set(events.map((e) => e.cluster))).toEqual(new Set([scopes.viewerCluster]));
      const bytes = events.reduce((sum, e) => sum + e.responseBytes, 0);
      // An empty matrix is 63 bytes; nothing but empty answers came back.
      expect(Math.max(...events.map((e) => e.responseBytes))).toBeLessThan(100);
      // What the unfiltered read (the behaviour before the fix) brings back for the scraped stretch, asked directly.
      const to = Math.floor(Date.now() / 1000);
      const unfiltered = await fetch(`${prometheusOf(stack, scopes.viewerCluster).url}/api/v1/query_range`, {
        method: 'POST',
        body: new URLSearchParams({
          query: 'DCGM_FI_DEV_POWER_USAGE',
          start: String(to - 9_999),
          end: String(to),
          step: '1',
        }),
      });
      const before = (await unfiltered.arrayBuffer()).byteLength;
      console.log(
        `hostile power export: ${events.length} requests, ${bytes} bytes read (unfiltered last chunk alone: ${before} bytes)`,
      );
    });

    it("exports a partner's share of every board, MIG boards shared with other tenants divided by all their instances", async () => {
      const model = stack.model;
      const expected = (ts: number): number => {
        const rows = model.gpus(undefined, ts);
        const rowsPerBoard = new Map<string, number>();
        for (const g of rows) rowsPerBoard.set(g.uuid, (rowsPerBoard.get(g.uuid) ?? 0) + 1);
        return rows
          .filter((g) => g.namespace === scopes.partnerNamespace)
          .reduce((sum, g) => sum + g.powerWatts / rowsPerBoard.get(g.uuid)!, 0);
      };
      const totalsOf = (csv: readonly Record<string, string>[]) => totalsByTimestamp(csv, 'power_watts');
      // Polled until every step holds a sample of every board: right after start the oldest steps may precede a scrape.
      const rows = await pollUntil('three scraped seconds of partner power equal to its share', async () => {
        const to = Math.floor(Date.now() / 1000) - 1;
        const res = await download(
          'partner',
          `/api/v1/export/power?format=csv&from=${to - 2}&to=${to}&step=1`,
          'partner-export',
        );
        const csv = readCsv(Buffer.from(await res.arrayBuffer()));
        const totals = [...totalsOf(csv)];
        const exact =
          totals.length === 3 &&
          totals.every(([ts, watts]) => Math.abs(watts - expected(Date.parse(ts))) < 0.01);
        if (!exact)
          throw new Error(
            `totals ${JSON.stringify(totals)} vs ${JSON.stringify(totals.map(([ts]) => expected(Date.parse(ts))))}`,
          );
        return csv;
      });
      expect(rows.every((r) => r.namespace === scopes.partnerNamespace)).toBe(true);
      expect(foreignTokensIn(rows, scopes.foreignTokens.partner)).toEqual([]);
      for (const e of causedBy('partner-export').filter((x) =>
        x.query?.includes('DCGM_FI_DEV_POWER_USAGE'),
      )) {
        const namespaces = inspectPromQL(e.query!).selectors.flatMap((s) =>
          s.matchers.filter((m) => /(^|_)namespace$/.test(m.label)),
        );
        expect(namespaces.map((m) => m.value)).toEqual([scopes.partnerNamespace]);
      }
    });

    it('refuses an answer above PROMETHEUS_MAX_RESPONSE_BYTES with a coded 502, and keeps serving', async () => {
      const small = await startApp({
        NODE_ENV: 'production',
        LOG_LEVEL: 'error',
        API_KEYS: apiKeysEnv([{ name: 'admin', secret: SECRETS.admin, role: 'admin' }]),
        ANALYZER_ENABLED: 'false',
        PROMETHEUS_CLUSTERS: JSON.stringify(
          stack.model.clusters().map((name) => ({ name, url: prometheusOf(stack, name).url })),
        ),
        PROMETHEUS_RETRIES: '0',
        PROMETHEUS_MAX_RESPONSE_BYTES: '4096',
        CACHE_TTL_REALTIME_SECONDS: '0',
      });
      try {
        const to = Math.floor(Date.now() / 1000) - 1;
        const res = await fetch(
          `${small.url}/api/v1/export/power?format=csv&from=${to - 120}&to=${to}&step=1`,
          { headers: HEADERS.admin },
        );
        expect(res.status).toBe(502);
        const body = (await res.json()) as { code: string; message: string };
        expect(['CLUSTER_UNAVAILABLE', 'UPSTREAM_ERROR']).toContain(body.code);
        expect(body.message).toMatch(/more than 4096 bytes \(PROMETHEUS_MAX_RESPONSE_BYTES\)/);
        expect((await fetch(`${small.url}/health/live`)).status).toBe(200);
      } finally {
        await small.app.close();
      }
    });
  });

  describe('node-wide hardware', () => {
    const SENSORS = `{ ipmiSensors { cluster node bmc name value } ipmiPowerSensors { cluster node bmc value } }`;

    it('refuses IPMI sensors to a namespace-scoped key exactly like nodePower, naming no node or BMC', async () => {
      for (const field of ['ipmiSensors', 'ipmiPowerSensors', 'ipmiTemperatureSensors', 'nodePower']) {
        const selection = field === 'nodePower' ? 'cluster node powerWatts' : 'cluster node bmc value';
        const res = await ask('partner', `{ ${field} { ${selection} } }`);
        expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
        expect(res.data ?? null).toBeNull();
      }
      const admin = await ask<{ ipmiSensors: { bmc: string }[] }>('admin', SENSORS);
      expect(admin.data!.ipmiSensors.length).toBeGreaterThan(0);
    });

    it('still serves them to a cluster-scoped viewer, for its cluster only', async () => {
      const res = await ask<{ ipmiSensors: { cluster: string }[] }>('viewer', SENSORS);
      expect(res.errors).toBeUndefined();
      expect(new Set(res.data!.ipmiSensors.map((s) => s.cluster))).toEqual(new Set([scopes.viewerCluster]));
    });
  });

  describe('analysis runs', () => {
    const LAST_RUN = `{ analyzerConfig { lastRun { gpuCount changedCount failedClusters error } } }`;
    type LastRun = {
      analyzerConfig: {
        lastRun: {
          gpuCount: number;
          changedCount: number;
          failedClusters: string[];
          error: string | null;
        } | null;
      };
    };

    it("counts a scoped key's own devices in analyzerConfig.lastRun, not the fleet's", async () => {
      const all = stack.model.gpus();
      // A cycle that started before Prometheus had scraped every target covers part of the fleet: wait for a whole one.
      const admin = await pollUntil('an analysis run over the whole fleet', async () => {
        const run = (await ask<LastRun>('admin', LAST_RUN)).data?.analyzerConfig.lastRun;
        return run && run.gpuCount === all.length ? run : undefined;
      });
      expect(admin.gpuCount).toBe(all.length);
      const viewer = (await ask<LastRun>('viewer', LAST_RUN)).data!.analyzerConfig.lastRun!;
      const partner = (await ask<LastRun>('partner', LAST_RUN)).data!.analyzerConfig.lastRun!;
      expect(viewer.gpuCount).toBe(all.filter((g) => g.cluster === scopes.viewerCluster).length);
      expect(partner.gpuCount).toBe(all.filter((g) => g.namespace === scopes.partnerNamespace).length);
      expect(viewer.changedCount).toBeLessThanOrEqual(viewer.gpuCount);
      expect(partner.changedCount).toBeLessThanOrEqual(partner.gpuCount);
    });
  });

  describe('stream cluster argument', () => {
    it('answers a known cluster outside the scope exactly like an unknown one (SSE)', async () => {
      const foreign = scopes.viewerCluster === west ? east : west;
      const answer = async (cluster: string) => {
        const controller = new AbortController();
        const res = await fetch(`${stack.url}/api/v1/monitoring/stream/power?cluster=${cluster}`, {
          headers: STREAMER,
          signal: controller.signal,
        });
        const text = res.headers.get('content-type')?.includes('event-stream')
          ? '(a stream)'
          : await res.text();
        controller.abort();
        return { status: res.status, body: text.split(cluster).join('«cluster»') };
      };
      const unknown = await answer('no-such-cluster');
      expect(unknown.status).toBe(404);
      expect(await answer(foreign)).toEqual(unknown);
    });

    it('answers a known cluster outside the scope exactly like an unknown one (graphql-ws powerUpdated)', async () => {
      const foreign = scopes.viewerCluster === west ? east : west;
      const ws = connectWs(stack.url, STREAMER);
      try {
        await ws.connected;
        const refusal = async (cluster: string) => {
          const sub = ws.subscribe(
            `subscription($c: String) { powerUpdated(cluster: $c, intervalSeconds: 1) { totalWatts } }`,
            { c: cluster },
          );
          // A refused subscribe is one result carrying the error, or an error message; a served one keeps streaming.
          const ended = await Promise.race([
            sub.done.then(() => true),
            new Promise<boolean>((r) => setTimeout(() => r(false), 3000)),
          ]);
          sub.stop();
          if (!ended) return `still streaming after 3 s (${sub.events.length} snapshots)`;
          const failure = sub.events.find((e) => e.errors)?.errors ?? (await sub.failure);
          return JSON.stringify(failure).split(cluster).join('«cluster»');
        };
        const unknown = await refusal('no-such-cluster');
        expect(unknown).toContain('NOT_FOUND');
        expect(await refusal(foreign)).toBe(unknown);
      } finally {
        await ws.dispose();
      }
    });
  });

  describe('processes on a time-sliced GPU', () => {
    /**
     * fleet-sim has no time-slicing, so this exposition is written out: dcgm-exporter's rows for GPU-shared (one per pod
     * using it: team-a's and team-b's) and GPU-own (team-a's alone), and all-smi's process series for both GPUs.
     */
    const dcgm = (uuid: string, gpu: string, namespace: string, pod: string) =>
      [
        'DCGM_FI_DEV_FB_USED 1024',
        'DCGM_FI_DEV_FB_FREE 80000',
        'DCGM_FI_DEV_GPU_UTIL 40',
        'DCGM_FI_DEV_POWER_USAGE 300',
      ]
        .map((line) => {
          const [metric, value] = line.split(' ');
          return `${metric}{gpu="${gpu}",UUID="${uuid}",device="nvidia${gpu}",modelName="NVIDIA H100 80GB HBM3",Hostname="ts-node-1",container="main",namespace="${namespace}",pod="${pod}"} ${value}`;
        })
        .join('\n');
    const EXPOSITION = [
      dcgm('GPU-own-0000', '0', 'team-a', 'trainer-a-0'),
      dcgm('GPU-shared-1111', '1', 'team-a', 'notebook-a-0'),
      dcgm('GPU-shared-1111', '1', 'team-b', 'serving-b-0'),
      'all_smi_process_memory_used_bytes{device_uuid="GPU-own-0000",pid="1001",name="python",user="alice",command="python train.py"} 1073741824',
      'all_smi_process_memory_used_bytes{device_uuid="GPU-shared-1111",pid="2002",name="python",user="bob",command="python serve.py --model team-b-secret"} 2147483648',
      '',
    ].join('\n');

    it('shows a tenant no process of a GPU it shares with another tenant: pid, user and command cannot be attributed', async () => {
      const exporter = await listen((_req, res) => {
        res.setHeader('content-type', 'text/plain; version=0.0.4');
        res.end(EXPOSITION);
      });
      const prom = await startPrometheus([
        {
          jobName: 'ts',
          targets: [`127.0.0.1:${port(exporter)}`],
          metricsPath: '/metrics',
          honorLabels: true,
        },
      ]);
      const teamA = { authorization: 'Bearer kc_team_a_6a7b8c9d' };
      let api: Awaited<ReturnType<typeof startApp>> | undefined;
      try {
        await waitForSeries(prom.url, 'all_smi_process_memory_used_bytes', 2);
        api = await startApp({
          NODE_ENV: 'production',
          LOG_LEVEL: 'error',
          API_KEYS: apiKeysEnv([
            { name: 'admin', secret: SECRETS.admin, role: 'admin' },
            {
              name: 'team-a',
              secret: teamA.authorization.slice(7),
              role: 'viewer',
              namespaces: ['team-a'],
            },
          ]),
          PROMETHEUS_URL: prom.url,
          PROMETHEUS_RETRIES: '0',
          DCGM_TENANT_LABELS: 'plain',
          ANALYZER_ENABLED: 'false',
          CACHE_TTL_REALTIME_SECONDS: '0',
        });
        const QUERY = `{ gpuProcesses(first: 100) { edges { node { gpuUuid pid user command namespace pod } } } }`;
        type Procs = {
          gpuProcesses: {
            edges: {
              node: { gpuUuid: string; pid: number; user: string | null; namespace: string | null };
            }[];
          };
        };
        const scoped = await gql<Procs>(api.url, QUERY, {}, teamA);
        expect(scoped.errors).toBeUndefined();
        expect(
          scoped.data!.gpuProcesses.edges.map((e) => [e.node.pid, e.node.user, e.node.namespace]),
        ).toEqual([[1001, 'alice', 'team-a']]);
        expect(foreignTokensIn(scoped, ['bob', 'team-b', 'serving-b-0', '2002'])).toEqual([]);
        // Unrestricted keys still see the shared GPU's process.
        const all = await gql<Procs>(api.url, QUERY, {}, HEADERS.admin);
        expect(all.data!.gpuProcesses.edges.map((e) => e.node.pid).sort()).toEqual([1001, 2002]);
      } finally {
        await api?.app.close();
        await prom.stop();
        exporter.close();
      }
    });
  });

  describe('upstream cancellation', () => {
    it('aborts the Prometheus request of a GraphQL field that hit QUERY_TIMEOUT_MS, releasing its socket', async () => {
      // A Prometheus that accepts requests and never answers; it sees when the API gives a request up.
      const open = new Set<IncomingMessage>();
      const closedAt: number[] = [];
      const silent = await listen((req) => {
        open.add(req);
        req.socket.once('close', () => {
          open.delete(req);
          closedAt.push(Date.now());
        });
      });
      const api = await startApp({
        NODE_ENV: 'production',
        LOG_LEVEL: 'error',
        API_KEYS: apiKeysEnv([{ name: 'admin', secret: SECRETS.admin, role: 'admin' }]),
        PROMETHEUS_URL: `http://127.0.0.1:${port(silent)}`,
        PROMETHEUS_TIMEOUT_MS: '60000',
        PROMETHEUS_RETRIES: '0',
        QUERY_TIMEOUT_MS: '300',
        ANALYZER_ENABLED: 'false',
      });
      try {
        const res = await gql(api.url, '{ gpus { totalCount } }', {}, HEADERS.admin);
        const answeredAt = Date.now();
        expect(res.errors?.[0]?.extensions).toMatchObject({
          code: 'UPSTREAM_TIMEOUT',
          limit: 'QUERY_TIMEOUT_MS',
        });
        // Without cancellation the socket stays busy until PROMETHEUS_TIMEOUT_MS (60 s).
        await pollUntil(
          'the upstream request to be aborted',
          async () => (open.size === 0 && closedAt.length ? true : undefined),
          { timeoutMs: 3000 },
        );
        expect(Math.max(...closedAt) - answeredAt).toBeLessThan(3000);
      } finally {
        await api.app.close();
        silent.closeAllConnections();
        silent.close();
      }
    });
  });

  describe('registerCluster', () => {
    const REGISTER = `mutation($i: RegisterClusterInput!) { registerCluster(input: $i) { name status } }`;

    it.each([
      ['the cloud metadata address', 'metadata-v4', 'http://169.254.169.254/latest/meta-data/'],
      ['the EC2 IPv6 metadata address', 'metadata-v6', 'http://[fd00:ec2::254]/'],
      ['the GCP metadata host', 'metadata-gcp', 'http://metadata.google.internal/computeMetadata/v1/'],
      ['IPv4 loopback', 'loopback-v4', 'http://127.0.0.1:9090'],
      ['another loopback address', 'loopback-v4-2', 'http://127.0.0.2:9090'],
      ['IPv6 loopback', 'loopback-v6', 'http://[::1]:9090'],
      ['the unspecified address', 'unspecified', 'http://0.0.0.0:9090'],
      ['a URL with credentials', 'userinfo', 'http://scraper:hunter2-pw@10.0.0.1:9090'],
    ])('refuses %s with BAD_USER_INPUT, without registering it', async (_what, name, url) => {
      const res = await ask<{ registerCluster: unknown }>('admin', REGISTER, { i: { name, url } });
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.message).not.toContain('hunter2');
      const list = await ask<{ clusters: { name: string }[] }>('admin', `{ clusters { name } }`);
      expect(list.data!.clusters.map((c) => c.name)).not.toContain(name);
    });

    it("keeps one key's failed query out of the cluster's error that every key reads", async () => {
      // Up, but rejecting every tenant query with an error quoting it, as Prometheus quotes the label sets of a query
      // (e.g. "found duplicate series for the match group {...}"); the tenant-label shape probe is answered.
      const rejecting = await listen((req, res) => {
        if (req.url?.startsWith('/-/ready')) return res.end('ready');
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const query = new URLSearchParams(Buffer.concat(chunks).toString()).get('query') ?? '';
          if (query.startsWith('count(')) return res.end(EMPTY_VECTOR);
          res.writeHead(422, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              status: 'error',
              errorType: 'execution',
              error: `found duplicate series for the match group ${query}`,
            }),
          );
        });
      });
      // A healthy cluster whose readiness probe is slow: every cluster listing re-probes all clusters first, and
      // this one holds the listing open while another key's query fails.
      const slow = await listen((req, res) => {
        if (req.url?.startsWith('/-/ready')) return void setTimeout(() => res.end('ready'), 1500);
        res.end(EMPTY_VECTOR);
      });
      try {
        for (const [name, server] of [
          ['rejecting', rejecting],
          ['slow-probe', slow],
        ] as const)
          await ask('admin', REGISTER, { i: { name, url: `http://localhost:${port(server)}` } });
        const listing = ask<{ clusters: { name: string; error: string | null }[] }>(
          'partner',
          `{ clusters { name error } }`,
        );
        await new Promise((r) => setTimeout(r, 500));
        // The admin's own answer says why its query failed, quoting its own filter...
        const own = await ask(
          'admin',
          `{ gpus(filter: {cluster: "rejecting", namespace: "tenant-secret-ns"}, first: 1) { totalCount } }`,
        );
        expect(JSON.stringify(own.errors)).toContain('tenant-secret-ns');
        // ...but the cluster's shared state, which the partner's listing reads, does not carry it.
        const list = await listing;
        expect(list.data!.clusters.find((c) => c.name === 'rejecting')).toBeDefined();
        expect(JSON.stringify(list)).not.toContain('tenant-secret-ns');
      } finally {
        for (const name of ['rejecting', 'slow-probe'])
          await ask('admin', `mutation { removeCluster(name: "${name}") }`);
        rejecting.close();
        slow.close();
      }
    });

    it("never follows a redirect with the cluster's credentials", async () => {
      const seen: { url: string; authorization?: string }[] = [];
      const target = await listen((req, res) => {
        seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
        res.end('{"status":"success","data":{"resultType":"vector","result":[]}}');
      });
      const redirector = await listen((req, res) => {
        res.writeHead(307, { location: `http://127.0.0.1:${port(target)}${req.url}` });
        res.end();
      });
      try {
        const res = await ask<{ registerCluster: { status: string } }>('admin', REGISTER, {
          i: {
            name: 'redirecting',
            url: `http://localhost:${port(redirector)}`,
            auth: { type: 'bearer', token: 'cluster-secret-77' },
          },
        });
        expect(res.errors).toBeUndefined();
        expect(res.data!.registerCluster.status).not.toBe('UP');
        await ask('admin', `{ gpus(filter: {cluster: "redirecting"}, first: 1) { totalCount } }`);
        expect(seen).toEqual([]);
      } finally {
        await ask('admin', `mutation { removeCluster(name: "redirecting") }`);
        target.close();
        redirector.close();
      }
    });
  });
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<Server> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

const EMPTY_VECTOR = '{"status":"success","data":{"resultType":"vector","result":[]}}';

const port = (server: Server): number => (server.address() as AddressInfo).port;
